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
