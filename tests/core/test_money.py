from decimal import Decimal

from onezone.core.money import format_amount, format_wan, format_yi, yuan


def test_yuan_rounds_half_up_to_the_fen():
    assert yuan("1.005") == Decimal("1.01")
    assert yuan("2.004") == Decimal("2.00")


def test_formats():
    assert format_wan(Decimal("51000000")) == "5,100.00万元"
    assert format_yi(Decimal("5100000000")) == "51.00亿元"
    assert format_amount(Decimal("8373000000")) == "83.73亿元"
    assert format_amount(Decimal("36000")) == "3.60万元"
    assert format_amount(Decimal("999.5")) == "999.50元"
    assert format_amount(None) == "—"


def test_format_number_never_writes_an_exponent():
    from onezone.core.money import format_number

    assert format_number(Decimal("2E+6")) == "2,000,000"
    assert format_number(Decimal("2000000.0000")) == "2,000,000"
    assert format_number(Decimal("0.50")) == "0.5"
    assert format_number(Decimal("1E-7")) == "0.0000001"
    assert format_number(Decimal("-0.00")) == "0"
    assert format_number(Decimal("3"), 2) == "3.00"
    assert format_number(Decimal("1234567.895"), 2) == "1,234,567.90"
    assert format_number(None) == "—" and format_number(Decimal("NaN")) == "—"


def test_a_rate_in_percent_has_one_decimal():
    from onezone.core.money import format_percent
    from onezone.investment.templatetags.investment_tags import percent

    assert format_percent(Decimal("66.666")) == percent(Decimal("0.66666")) == "66.7%"
    assert format_percent(Decimal("1E+2")) == "100.0%"
    assert format_percent(None) == percent(None) == "—"


def test_money_filters_in_a_template_use_the_one_formatter():
    from django.template import Context, Template

    page = Template(
        "{% load money %}{{ a|amount }} {{ a|wan }} {{ a|yi }} "
        "{{ b|number:2 }} {{ c|number }} {{ d|yuan }} {{ e|amount }}"
    ).render(Context({"a": Decimal("251000000"), "b": Decimal("5100.5"), "c": Decimal("2E+6"), "d": 25000, "e": None}))
    assert page == "2.51亿元 25,100.00万元 2.51亿元 5,100.50 2,000,000 25,000.00元 —"


def test_a_spreadsheet_writes_figures_with_separators_and_times_in_shanghai():
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from onezone.assessment.reports import table_xlsx

    at = dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC)  # 00:30 the next day in Shanghai
    book = load_workbook(io.BytesIO(table_xlsx([("表", ["金额", "时间"], [[Decimal("2E+9"), at]])])))
    amount, when = book.active[2]
    assert amount.value == 2_000_000_000 and amount.number_format == "#,##0.00"
    assert when.value == dt.datetime(2026, 3, 2, 0, 30)
