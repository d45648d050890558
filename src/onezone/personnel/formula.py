"""A small, safe evaluator for the formulas HR keeps as data.

A formula such as ``0.2*self + 0.5*leader + 0.3*peer`` is parsed with :mod:`ast` (parsing never runs
code) and walked node by node. Only these are allowed: numbers, names given by the caller, ``+ - * /``,
unary ``+``/``-``, parentheses and the functions ``min``, ``max`` and ``round``. Anything else is
refused with :class:`FormulaError`, whose message is Chinese. Arithmetic is :class:`~decimal.Decimal`
throughout; ``round`` rounds half up (四舍五入), not to even. Pure: no Django.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from onezone.core.errors import InvalidInput

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_ROUND_PLACES = 6
FUNCTIONS = frozenset({"min", "max", "round"})

_CONTEXT = decimal.Context(prec=28, rounding=ROUND_HALF_UP, Emax=999_999, Emin=-999_999, traps=[])


class FormulaError(InvalidInput):
    """A formula that cannot be evaluated, with a message that says why."""


def _names_in(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}


def parse(expression: str) -> ast.Expression:
    """Parse ``expression`` or raise :class:`FormulaError`; nothing is executed."""
    if not isinstance(expression, str) or not expression.strip():
        raise FormulaError("公式为空，请填写公式，例如 0.2*self + 0.5*leader + 0.3*peer。")
    if len(expression) > MAX_LENGTH:
        raise FormulaError(f"公式过长（{len(expression)} 个字符），最多 {MAX_LENGTH} 个字符。")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError("公式无法解析，请检查括号、运算符和数字的写法。") from exc
    _check(tree.body, expression, depth=0)
    return tree


def _check(node: ast.AST, source: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(f"公式嵌套过深，最多 {MAX_DEPTH} 层。")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError("公式中只能使用数字、变量、+ - * /、括号和 min、max、round。")
        return
    if isinstance(node, ast.Name):
        if not isinstance(node.ctx, ast.Load) or node.id.startswith("_") or node.id in FUNCTIONS:
            raise FormulaError(f"公式中“{node.id}”的用法不正确。")
        return
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            raise FormulaError("公式中只能使用 + - * / 四种运算。")
        _check(node.left, source, depth + 1)
        _check(node.right, source, depth + 1)
        return
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise FormulaError("公式中只能使用正号和负号两种一元运算。")
        _check(node.operand, source, depth + 1)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError("公式中只能调用 min、max、round 三个函数。")
        if node.keywords:
            raise FormulaError(f"函数 {node.func.id} 不接受命名参数。")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(f"函数 {node.func.id} 的参数写法不正确。")
        if node.func.id == "round" and len(node.args) not in (1, 2):
            raise FormulaError("round 需要一个或两个参数：round(数值) 或 round(数值, 小数位数)。")
        if node.func.id in {"min", "max"} and not node.args:
            raise FormulaError(f"函数 {node.func.id} 至少需要一个参数。")
        for arg in node.args:
            _check(arg, source, depth + 1)
        return
    raise FormulaError("公式中只能使用数字、变量、+ - * /、括号和 min、max、round。")


def names(expression: str) -> set[str]:
    """The variable names ``expression`` uses."""
    return _names_in(parse(expression))


def validate(expression: str, allowed: Iterable[str]) -> None:
    """Raise unless ``expression`` parses and uses only ``allowed`` names."""
    allowed = set(allowed)
    unknown = sorted(names(expression) - allowed)
    if unknown:
        known = "、".join(sorted(allowed)) or "（无）"
        raise FormulaError(f"公式中的变量“{'、'.join(unknown)}”未定义；可用的变量：{known}。")


def evaluate(expression: str, variables: Mapping[str, Decimal | int | str]) -> Decimal:
    """The value of ``expression`` with ``variables``, as a Decimal.

    Raises :class:`FormulaError` for any formula outside the whitelist, an unknown name, a division
    by zero or a result that is not a finite number.
    """
    tree = parse(expression)
    values = {}
    for key, value in variables.items():
        try:
            values[key] = Decimal(value) if not isinstance(value, Decimal) else value
        except (decimal.InvalidOperation, TypeError, ValueError) as exc:
            raise FormulaError(f"变量“{key}”的值“{value}”不是数字。") from exc
    with decimal.localcontext(_CONTEXT) as ctx:
        ctx.clear_flags()
        try:
            result = _eval(tree.body, expression, values)
        except (decimal.DecimalException, OverflowError, RecursionError) as exc:
            raise FormulaError("公式计算出错（数值超出范围），请检查公式。") from exc
        if ctx.flags[decimal.DivisionByZero]:
            raise FormulaError("公式计算时出现除以零，请检查公式或数据。")
        if ctx.flags[decimal.InvalidOperation] or ctx.flags[decimal.Overflow] or not result.is_finite():
            raise FormulaError("公式计算结果超出范围，请检查公式。")
    return result


def _number(node: ast.Constant, source: str) -> Decimal:
    text = ast.get_source_segment(source.strip(), node)
    try:
        number = Decimal(text if text is not None else str(node.value))
    except decimal.InvalidOperation as exc:
        raise FormulaError(f"数字“{text}”的写法不正确。") from exc
    if not number.is_finite():
        raise FormulaError(f"数字“{text}”的写法不正确。")
    return number


def _eval(node: ast.AST, source: str, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Constant):
        return _number(node, source)
    if isinstance(node, ast.Name):
        if node.id not in values:
            known = "、".join(sorted(values)) or "（无）"
            raise FormulaError(f"公式中的变量“{node.id}”未定义；可用的变量：{known}。")
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, source, values)
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, source, values)
        right = _eval(node.right, source, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise FormulaError("公式计算时出现除以零，请检查公式或数据。")
        return left / right
    if isinstance(node, ast.Call):
        args = [_eval(a, source, values) for a in node.args]
        name = node.func.id
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        places = args[1] if len(args) == 2 else Decimal(0)
        if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
            raise FormulaError(f"round 的小数位数应为 0 到 {MAX_ROUND_PLACES} 之间的整数。")
        return args[0].quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    raise FormulaError("公式中只能使用数字、变量、+ - * /、括号和 min、max、round。")


_FUNCTION_WORDS = {"min": "较小值", "max": "较大值", "round": "四舍五入"}


def in_words(expression: str, labels: Mapping[str, str]) -> str:
    """``expression`` as a person reads it: each variable by its Chinese label, × for *, functions named.

    ``0.2*self + 0.8*leader`` with the raters' labels reads ``0.2×自评 + 0.8×领导评分``. Names without a
    label stay as they are; the stored formula is unchanged.
    """
    import re

    words = {**_FUNCTION_WORDS, **labels}
    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: words.get(m.group(0), m.group(0)), expression)
    return text.replace("*", "×")
