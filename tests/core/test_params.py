"""A page's year parameter: this year by default, a year in range as given, a clear refusal otherwise."""

import pytest
from django.utils import timezone

from onezone.core.errors import InvalidInput
from onezone.core.params import year_param


def test_year_param_defaults_accepts_and_refuses():
    assert year_param(None) == year_param("") == timezone.localdate().year
    assert year_param("", default=2024) == 2024
    assert (year_param("2000"), year_param("2100")) == (2000, 2100)
    for bad in ("99999", "1999", "2101", "abc", "2024.5", "-2024"):
        with pytest.raises(InvalidInput) as err:
            year_param(bad)
        assert err.value.message.startswith(f"年份“{bad}”不正确：请填写 2000–2100 之间的四位年份")
        assert err.value.fields == {"year": "应为 2000–2100 之间的年份。"}
