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
