"""Identification and grading of major hazard installations (GB 18218-2018 危险化学品重大危险源辨识).

Pure functions of plain data, no Django. An installation (a production unit or a storage area) is a
major hazard when S = Σ qᵢ/Qᵢ ≥ 1, q being the largest quantity of substance i present (t) and Q
its threshold (Table 1 by name, or Table 2 by hazard category for a substance Table 1 does not list).
A major hazard is graded by R = α · Σ βᵢ·qᵢ/Qᵢ: β by Table 3 for the listed toxic gases and by
Table 4 (the hazard category) for every other substance, α by the people outside the installation
within 500 m (Table 5). 一级 R ≥ 100, 二级 50 ≤ R < 100, 三级 10 ≤ R < 50, 四级 R < 10.

Arithmetic is exact (``fractions.Fraction``), so the boundaries (S = 1; R = 10, 50, 100) fall
exactly where the standard puts them; results are rounded only for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

# The most substances one installation is graded with in one call, and the largest figures accepted.
MAX_SUBSTANCES = 200
MAX_QUANTITY_T = Decimal("10000000")
MAX_PEOPLE = 10_000_000
MAX_NAME = 60


class GradingError(ValueError):
    """An input the standard cannot grade; ``field`` names it, the message says what to do."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Category:
    """A hazard category of Table 2 with its threshold, and its correction factor from Table 4."""

    code: str
    label: str
    threshold_t: Decimal
    beta: Decimal


# Table 2 (thresholds by hazard category) with Table 4's β for each category.
CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("J1", "急性毒性类别1，所有暴露途径，气体", Decimal("5"), Decimal("4")),
        Category("J2", "急性毒性类别1，所有暴露途径，固体、液体", Decimal("50"), Decimal("4")),
        Category("J3", "急性毒性类别2、类别3，所有暴露途径，气体", Decimal("50"), Decimal("2")),
        Category("J4", "急性毒性类别2、类别3，吸入途径，液体（沸点≤35 ℃）", Decimal("50"), Decimal("2")),
        Category("J5", "急性毒性类别2、类别3，所有暴露途径，液体（除J4外）、固体", Decimal("500"), Decimal("2")),
        Category("W1.1", "不稳定爆炸物、1.1项爆炸物", Decimal("1"), Decimal("2")),
        Category("W1.2", "1.2、1.3、1.5、1.6项爆炸物", Decimal("10"), Decimal("2")),
        Category("W1.3", "1.4项爆炸物", Decimal("50"), Decimal("2")),
        Category("W2", "易燃气体类别1和类别2", Decimal("10"), Decimal("1.5")),
        Category("W3", "气溶胶类别1和类别2", Decimal("150"), Decimal("1")),
        Category("W4", "氧化性气体类别1", Decimal("50"), Decimal("1")),
        Category("W5.1", "易燃液体类别1", Decimal("10"), Decimal("1.5")),
        Category("W5.2", "易燃液体类别2和3，工作温度高于沸点", Decimal("10"), Decimal("1")),
        Category("W5.3", "易燃液体类别2和3，具有引发重大事故的特殊工艺条件", Decimal("50"), Decimal("1")),
        Category("W5.4-2", "不属于W5.1～W5.3的易燃液体类别2", Decimal("1000"), Decimal("1")),
        Category("W5.4-3", "不属于W5.1～W5.3的易燃液体类别3", Decimal("5000"), Decimal("1")),
        Category("W6.1", "A型和B型自反应物质和混合物", Decimal("10"), Decimal("1.5")),
        Category("W6.2", "C型、D型、E型自反应物质和混合物", Decimal("50"), Decimal("1")),
        Category("W7.1", "A型和B型有机过氧化物", Decimal("10"), Decimal("1.5")),
        Category("W7.2", "C型、D型、E型、F型有机过氧化物", Decimal("50"), Decimal("1")),
        Category("W8", "自燃液体和自燃固体类别1", Decimal("50"), Decimal("1")),
        Category("W9.1", "氧化性固体和液体类别1", Decimal("50"), Decimal("1")),
        Category("W9.2", "氧化性固体和液体类别2、类别3", Decimal("200"), Decimal("1")),
        Category("W10", "易燃固体类别1", Decimal("200"), Decimal("1")),
        Category("W11", "遇水放出易燃气体的物质和混合物类别1和类别2", Decimal("200"), Decimal("1")),
    )
}


@dataclass(frozen=True)
class Listed:
    """A substance of Table 1: its threshold, and its β with where the β comes from."""

    name: str
    threshold_t: Decimal
    beta: Decimal
    beta_source: str  # "表3" for the toxic gases, else the Table 4 category code
    aliases: tuple[str, ...] = ()


def _toxic(name: str, q: str, beta: str, *aliases: str) -> Listed:
    return Listed(name, Decimal(q), Decimal(beta), "表3", aliases)


def _by_category(name: str, q: str, code: str, *aliases: str) -> Listed:
    return Listed(name, Decimal(q), CATEGORIES[code].beta, code, aliases)


# Table 1 (the substances the standard names, with their thresholds); β of the toxic gases by Table 3.
TABLE_1: tuple[Listed, ...] = (
    _toxic("氨", "10", "2", "液氨", "氨气"),
    _toxic("二氧化硫", "20", "2"),
    _toxic("环氧乙烷", "10", "2"),
    _toxic("一氧化碳和氢气混合物", "20", "2", "煤气", "一氧化碳", "煤气（CO、CO和H2、CH4的混合物等）"),
    _toxic("氯化氢（无水）", "20", "3", "氯化氢", "无水氯化氢"),
    _toxic("溴甲烷", "10", "3"),
    _toxic("氯", "5", "4", "液氯", "氯气"),
    _toxic("硫化氢", "5", "5"),
    _toxic("氟化氢", "1", "5", "无水氟化氢"),
    _toxic("二氧化氮", "1", "10"),
    _toxic("氰化氢", "1", "10"),
    _toxic("碳酰氯", "0.3", "20", "光气"),
    _toxic("磷化氢", "1", "20"),
    _toxic("异氰酸甲酯", "0.75", "20"),
    _by_category("氢", "5", "W2", "氢气"),
    _by_category("甲烷", "50", "W2", "天然气"),
    _by_category("乙炔", "1", "W2"),
    _by_category("乙烯", "50", "W2"),
    _by_category("氯乙烯", "50", "W2"),
    _by_category("1,3-丁二烯", "5", "W2", "丁二烯"),
    _by_category("液化石油气", "50", "W2"),
    _by_category("二甲醚", "50", "W2"),
    _by_category("一甲胺", "5", "W2"),
    _by_category("氧", "200", "W4", "液氧", "氧气"),
    _by_category("乙醚", "10", "W5.1"),
    _by_category("苯", "50", "W5.4-2"),
    _by_category("甲苯", "500", "W5.4-2"),
    _by_category("甲醇", "500", "W5.4-2"),
    _by_category("乙醇", "500", "W5.4-2"),
    _by_category("丙酮", "500", "W5.4-2"),
    _by_category("黄磷", "50", "W8"),
    _by_category("电石", "100", "W11", "碳化钙"),
    _by_category("钠", "10", "W11", "金属钠"),
    _by_category("氯酸钠", "100", "W9.1"),
    _by_category("氯酸钾", "100", "W9.1"),
)

_BY_NAME: dict[str, Listed] = {}
for _listed in TABLE_1:
    for _name in (_listed.name, *_listed.aliases):
        _BY_NAME[_name] = _listed

# Table 5: α by the people outside the installation within 500 m, from the largest band down.
ALPHA_BANDS: tuple[tuple[int, Decimal, str], ...] = (
    (100, Decimal("2.0"), "100人以上"),
    (50, Decimal("1.5"), "50～99人"),
    (30, Decimal("1.2"), "30～49人"),
    (1, Decimal("1.0"), "1～29人"),
    (0, Decimal("0.5"), "0人"),
)

# Levels by R, from the highest: (lower bound of R, level).
LEVEL_BOUNDS: tuple[tuple[int, int], ...] = ((100, 1), (50, 2), (10, 3))
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


@dataclass(frozen=True)
class SubstanceLine:
    name: str
    quantity_t: Decimal
    threshold_t: Decimal
    beta: Decimal
    source: str  # "表1" or the Table 2 category code
    beta_source: str
    ratio: Fraction  # q/Q
    weighted: Fraction  # β·q/Q


@dataclass(frozen=True)
class Grading:
    s: Fraction
    r: Fraction
    alpha: Decimal
    major: bool
    level: int | None  # 1–4 when major, else None
    lines: tuple[SubstanceLine, ...]
    steps: tuple[str, ...]

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level] + "重大危险源" if self.level else "未构成重大危险源"


def resolve(name: str, category: str = "") -> tuple[Decimal, Decimal, str, str, str]:
    """(Q, β, canonical name, source of Q, source of β) of a substance by Table 1 or by its category.

    A substance Table 1 lists is always graded by Table 1 (a category given for it is ignored, as the
    standard reads); any other needs its hazard category (Table 2).
    """
    key = (name or "").strip()
    if not key:
        raise GradingError("请填写物质名称。", field="name")
    if len(key) > MAX_NAME:
        raise GradingError(f"物质名称最多{MAX_NAME}个字，收到{len(key)}个字。", field="name")
    listed = _BY_NAME.get(key)
    if listed is not None:
        return listed.threshold_t, listed.beta, listed.name, "表1", listed.beta_source
    code = (category or "").strip()
    if not code:
        raise GradingError(
            f"“{key}”不在GB 18218-2018表1中，请写明其危险性类别（表2的类别代码，如易燃气体填W2）。",
            field="name",
        )
    found = CATEGORIES.get(code)
    if found is None:
        raise GradingError(
            f"危险性类别“{code[:20]}”不是GB 18218-2018表2的类别代码，应为 {'、'.join(CATEGORIES)} 之一。",
            field="category",
        )
    return found.threshold_t, found.beta, key, found.code, found.code


def _quantity(value: object) -> Decimal:
    try:
        quantity = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise GradingError("数量应为吨数（数字）。", field="quantity_t") from exc
    if not quantity.is_finite():
        raise GradingError("数量应为有限的吨数。", field="quantity_t")
    if quantity < 0:
        raise GradingError(f"数量不能为负数，收到 {quantity} 吨；请填写最大存在量（吨）。", field="quantity_t")
    if quantity > MAX_QUANTITY_T:
        raise GradingError(f"数量不能超过 {MAX_QUANTITY_T} 吨，收到 {quantity} 吨。", field="quantity_t")
    return quantity


def alpha_for(people_exposed: int) -> tuple[Decimal, str]:
    """α of Table 5 and the band it comes from."""
    if isinstance(people_exposed, bool) or not isinstance(people_exposed, int):
        raise GradingError("500米范围内人数应为整数。", field="people_exposed")
    if people_exposed < 0:
        raise GradingError(f"500米范围内人数不能为负数，收到 {people_exposed}。", field="people_exposed")
    if people_exposed > MAX_PEOPLE:
        raise GradingError(f"500米范围内人数不能超过 {MAX_PEOPLE}，收到 {people_exposed}。", field="people_exposed")
    for lower, alpha, band in ALPHA_BANDS:
        if people_exposed >= lower:
            return alpha, band
    raise AssertionError("unreachable: the last band starts at 0")  # pragma: no cover


def level_for(r: Fraction) -> int:
    """The level of a major hazard with risk value R (a value on a bound falls in the higher level)."""
    for lower, level in LEVEL_BOUNDS:
        if r >= lower:
            return level
    return 4


def fmt(value: Fraction | Decimal) -> str:
    """A figure as the steps show it: up to four decimals, no trailing zeros, never exponent form."""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text if text not in {"", "-0"} else "0"


def grade(substances: Iterable[tuple[str, object] | tuple[str, object, str]], *, people_exposed: int) -> Grading:
    """Identify and grade one installation from its substances (name, largest quantity in t[, category])."""
    items = list(substances)[: MAX_SUBSTANCES + 1]
    if not items:
        raise GradingError("请至少填写一种危险化学品及其最大存在量。", field="substances")
    if len(items) > MAX_SUBSTANCES:
        raise GradingError(f"一个单元最多填写{MAX_SUBSTANCES}种物质。", field="substances")
    alpha, band = alpha_for(people_exposed)
    lines: list[SubstanceLine] = []
    seen: set[str] = set()
    for item in items:
        name, quantity = item[0], item[1]
        category = item[2] if len(item) > 2 else ""
        threshold, beta, canonical, source, beta_source = resolve(name, category)
        if canonical in seen:
            raise GradingError(f"“{canonical}”重复填写；同一物质只填一次，数量为单元内的最大存在量。", field="name")
        seen.add(canonical)
        q = _quantity(quantity)
        ratio = Fraction(q) / Fraction(threshold)
        lines.append(SubstanceLine(canonical, q, threshold, beta, source, beta_source, ratio, Fraction(beta) * ratio))
    s = sum((line.ratio for line in lines), Fraction(0))
    weighted = sum((line.weighted for line in lines), Fraction(0))
    major = s >= 1
    r = Fraction(alpha) * weighted
    level = level_for(r) if major else None
    steps = [
        f"{line.name}：q = {fmt(line.quantity_t)} t，Q = {fmt(line.threshold_t)} t（{line.source}），"
        f"q/Q = {fmt(line.ratio)}；β = {fmt(line.beta)}（{line.beta_source}），β·q/Q = {fmt(line.weighted)}"
        for line in lines
    ]
    if major:
        steps.append(f"S = Σq/Q = {fmt(s)} ≥ 1，构成重大危险源")
        steps.append(f"α = {fmt(alpha)}（厂区外500米范围内常住人口{band}，表5）")
        steps.append(f"R = α·Σβ·q/Q = {fmt(alpha)} × {fmt(weighted)} = {fmt(r)}")
        steps.append(f"{_level_rule(level)}，定为{LEVEL_NAMES[level]}重大危险源")
    else:
        steps.append(f"S = Σq/Q = {fmt(s)} < 1，未构成重大危险源，不分级")
    return Grading(s=s, r=r, alpha=alpha, major=major, level=level, lines=tuple(lines), steps=tuple(steps))


def _level_rule(level: int | None) -> str:
    return {1: "R ≥ 100", 2: "50 ≤ R < 100", 3: "10 ≤ R < 50", 4: "R < 10"}[level or 4]


def as_figure(value: Fraction) -> float:
    """S or R as the API answers it (rounded to four decimals)."""
    return round(float(value), 4)
