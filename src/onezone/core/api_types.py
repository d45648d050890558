"""Constrained parameter types shared by every app's API, so bad numbers are refused as 422, never 500."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from onezone.core.params import YEAR_MAX, YEAR_MIN

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"年份，{YEAR_MIN}–{YEAR_MAX}")]
Limit = Annotated[int, Field(ge=1, le=500, description="每页条数，1–500")]
Offset = Annotated[int, Field(ge=0, le=10_000_000, description="跳过的条数，从0起")]
Id = Annotated[int, Field(ge=1, le=2**63 - 1, description="记录编号")]
