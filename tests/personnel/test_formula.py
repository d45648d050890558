import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.personnel.formula import FormulaError, evaluate, names, validate

VARS = {"self": Decimal("90"), "leader": Decimal("80"), "peer": Decimal("70")}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("0.2*self + 0.5*leader + 0.3*peer", Decimal("79.0")),
        ("(self + leader + peer) / 3", Decimal("80")),
        ("min(self, leader, peer)", Decimal("70")),
        ("max(self, 95)", Decimal("95")),
        ("round(100 / 3, 2)", Decimal("33.33")),
        ("round(2.5)", Decimal("3")),  # half up, not to even
        ("round(-2.5)", Decimal("-3")),
        ("-self + +leader", Decimal("-10")),
        ("0.1 + 0.2", Decimal("0.3")),  # Decimal, not binary floating point
        ("1_000 * 2", Decimal("2000")),
        ("1e2", Decimal("1E+2")),
    ],
)
def test_evaluates_whitelisted_formulas_exactly(expression, expected):
    assert evaluate(expression, VARS) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('echo hi')", "只能调用 min、max、round"),
        ("self.__class__", "只能使用数字、变量"),
        ("open('x')", "只能调用 min、max、round"),
        ("2 ** 10", "只能使用 + - * /"),
        ("7 // 2", "只能使用 + - * /"),
        ("7 % 2", "只能使用 + - * /"),
        ("'a' * 3", "只能使用数字、变量"),
        ("[1, 2]", "只能使用数字、变量"),
        ("lambda: 1", "只能使用数字、变量"),
        ("self if leader else peer", "只能使用数字、变量"),
        ("self < leader", "只能使用数字、变量"),
        ("not self", "只能使用正号和负号"),
        ("min(*[1])", "参数写法不正确"),
        ("round(self, ndigits=1)", "不接受命名参数"),
        ("round(self, 1, 2)", "round 需要一个或两个参数"),
        ("round(self, 0.5)", "小数位数应为 0 到 6"),
        ("max()", "至少需要一个参数"),
        ("True + 1", "只能使用数字、变量"),
        ("1j", "只能使用数字、变量"),
        ("self / (leader - leader)", "除以零"),
        ("salary", "变量“salary”未定义"),
        ("", "公式为空"),
        ("(1 + ", "无法解析"),
        ("x = 1", "无法解析"),
        ("_secret", "用法不正确"),
        ("min", "用法不正确"),
        ("1" * 600, "公式过长"),
    ],
)
def test_refuses_everything_else_in_chinese(expression, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        evaluate(expression, VARS)


def test_names_and_validate():
    assert names("0.2*self + max(leader, peer)") == {"self", "leader", "peer"}
    validate("self + leader", {"self", "leader", "peer"})
    with pytest.raises(FormulaError, match="变量“bonus”未定义；可用的变量：leader、peer、self"):
        validate("self + bonus", {"self", "leader", "peer"})


def test_deep_nesting_is_refused_not_crashing():
    assert evaluate("(" * 50 + "1" + ")" * 50, {}) == 1  # parentheses alone add no depth
    with pytest.raises(FormulaError, match="嵌套过深"):
        evaluate("-(" * 100 + "1" + ")" * 100, {})
    with pytest.raises(FormulaError):
        evaluate("-" * 5000 + "1", {})


def test_huge_numbers_do_not_escape_as_other_errors():
    with pytest.raises(FormulaError):
        evaluate("1e999999 * 1e999999", {})
    with pytest.raises(FormulaError):
        evaluate("round(1e30, 6)", {})


class _Sentinel(Exception):
    pass


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(alphabet="selfadrpm0123456789.+-*/()_,:'\"[]{}<>=!%&|^~@ ximnaxound", max_size=60),
    )
)
def test_arbitrary_text_only_ever_yields_a_decimal_or_formula_error(text):
    import builtins

    calls = []
    real_import = builtins.__import__

    def spy(name, *args, **kwargs):
        calls.append(name)
        return real_import(name, *args, **kwargs)

    builtins.__import__ = spy
    try:
        try:
            result = evaluate(text, VARS)
        except FormulaError as exc:
            assert exc.message  # a Chinese message, never another exception type
        else:
            assert isinstance(result, Decimal)
    finally:
        builtins.__import__ = real_import
    # Evaluating never imports anything (so never reaches os, subprocess ...); the parser itself may
    # load unicodedata to normalise non-ASCII identifiers.
    assert set(calls) <= {"unicodedata"}


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
)
def test_weighted_formula_matches_decimal_arithmetic(a, b, c):
    got = evaluate("0.2*self + 0.5*leader + 0.3*peer", {"self": a, "leader": b, "peer": c})
    assert got == Decimal("0.2") * a + Decimal("0.5") * b + Decimal("0.3") * c
