"""The one row report of every import: each problem with its row, its column and a Chinese message.

A file with any problem is refused whole; the refusal (:class:`ImportRefused`, an ``InvalidInput``)
starts with the counts and lists the problems one per line, in the same form for every import:

    导入文件共 4 行数据：3 行有误，1 行无误，发现 5 处错误，未导入任何企业。请改正后重新上传：
    第3行“统一社会信用代码”：第18位校验码应为“3”……
    “申请材料”第5行：实施编码“Y999”在“事项清单”中不存在。
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onezone.core.errors import InvalidInput

SHOWN_ERRORS = 200


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet's label (empty for the main sheet), the row number, the column header (or empty)."""

    row: int
    message: str
    column: str = ""
    sheet: str = ""

    @property
    def line(self) -> str:
        where = f"“{self.sheet}”" if self.sheet else ""
        column = f"“{self.column}”" if self.column else ""
        return f"{where}第{self.row}行{column}：{self.message}"


class ImportRefused(InvalidInput):
    """The file had problems and nothing was written; ``report`` holds every one of them."""

    def __init__(self, report: ImportReport) -> None:
        shown = [e.line for e in report.in_order()[:SHOWN_ERRORS]]
        more = len(report.errors) - len(shown)
        tail = f"\n……另有 {more} 处错误未列出" if more else ""
        super().__init__(report.headline + "\n" + "\n".join(shown) + tail, fields={"file": "\n".join(shown)})
        self.report = report


@dataclass
class ImportReport:
    """What the reading found: the data rows read, the rows refused, every problem.

    ``noun`` is what the file holds, as in “未导入任何{noun}” (企业, 记录, 数据).
    """

    noun: str = "数据"
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets' labels in the order they were read
    _refused: set[tuple[str, int]] = field(default_factory=set)

    def refuse(self, row: int, message: str, *, column: str = "", sheet: str = "") -> None:
        """Record a problem of a row (of a column, when the problem is that cell's)."""
        self.errors.append(RowError(row=row, message=message, column=column, sheet=sheet))
        self._refused.add((sheet, row))

    def is_refused(self, row: int, *, sheet: str = "") -> bool:
        return (sheet, row) in self._refused

    @property
    def refused(self) -> int:
        return len(self._refused)

    @property
    def accepted(self) -> int:
        return self.rows - self.refused

    @property
    def headline(self) -> str:
        return (
            f"导入文件共 {self.rows} 行数据：{self.refused} 行有误，{self.accepted} 行无误，"
            f"发现 {len(self.errors)} 处错误，未导入任何{self.noun}。请改正后重新上传："
        )

    def in_order(self) -> list[RowError]:
        """The problems by sheet (in the order the sheets were read), then by row; a row's in the order found."""
        sheets = {label: n for n, label in enumerate(self.sheets)}
        for error in self.errors:
            sheets.setdefault(error.sheet, len(sheets))
        return sorted(self.errors, key=lambda e: (sheets[e.sheet], e.row))

    def raise_if_refused(self) -> None:
        """Refuse the whole file (:class:`ImportRefused`) if any row had a problem."""
        if self.errors:
            raise ImportRefused(self)
