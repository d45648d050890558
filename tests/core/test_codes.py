"""Tests for onezone.core.codes and onezone.core.areacodes: pure functions, no Django, no DB."""

from __future__ import annotations

import datetime as dt
import string
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from onezone.core.areacodes import KNOWN, PROVINCES, area_name, is_province_code
from onezone.core.codes import (
    RESIDENT_ID_WEIGHTS,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    USCC_ORGANISATION_TYPES,
    USCC_WEIGHTS,
    CodeError,
    mask_mobile,
    mask_resident_id,
    resident_id_check_char,
    uscc_check_char,
    validate_area_code,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

# A fixed "today" so that birth-date limits do not move under the tests.
TODAY = dt.date(2025, 6, 30)

MOBILE_RULE = "手机号码应为11位数字，以1开头，第二位为3–9"

# --- hand-computed examples ----------------------------------------------------------------
# USCC: value of each character in USCC_ALPHABET × weight 1 3 9 27 19 26 16 17 20 29 25 13 8 24
# 10 30 28; check = 31 − (Σ mod 31), 31 → 0, looked up in the alphabet.
#
# 91620300MA7404T51? (an enterprise in 金昌市)
#   values  9 1 6  2 0  3 0 0  21  10   7  4 0  4  26   5  1
#   product 9 3 54 54 0 78 0 0 420 290 175 52 0 96 260 150 28   Σ = 1669, 1669 mod 31 = 26
#   check = 31 − 26 = 5 → "5"
# 52620321MJ9912345? (a 民办非企业单位 in 永昌县)
#   values  5 2 6  2  0 3  2  1  21  18  9   9   1 2  3  4   5
#   product 5 6 54 54 0 78 32 17 420 522 225 117 8 48 30 120 140  Σ = 1876, mod 31 = 16
#   check = 31 − 16 = 15 → "F"
# 12100000400000624? (a 事业单位 registered at national level, area 100000)
#   values  1 2 1 0 0 0 0 0 4  0 0 0 0 0 6  2  4
#   product 1 6 9 0 0 0 0 0 80 0 0 0 0 0 60 60 112   Σ = 328, mod 31 = 18
#   check = 31 − 18 = 13 → "D"
# 93620302MA71X2Y3K? (a 农民专业合作社 in 金川区)
#   values  9 3 6  2  0 3  0 2  21  10  7   1  29  2  30  3  19
#   product 9 9 54 54 0 78 0 34 420 290 175 13 232 48 300 90 532  Σ = 2338, mod 31 = 13
#   check = 31 − 13 = 18 → "J"
#
# Resident ID: digit × weight 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; Σ mod 11 = 0…10 → 1 0 X 9 8 7
# 6 5 4 3 2.
#
# 62030219850615123? (金川区, born 1985-06-15)
#   products 42 18 0 15 0 8 2 9 48 15 0 54 10 25 8 8 6   Σ = 268, 268 mod 11 = 4 → "8"
# 62032120000229002? (永昌县, born on the leap day 2000-02-29)
#   products 42 18 0 15 16 4 4 0 0 0 0 18 20 45 0 0 4    Σ = 186, 186 mod 11 = 10 → "2"
# 83000019700101001? (a Taiwan resident's residence permit, born 1970-01-01)
#   products 56 27 0 0 0 0 2 9 42 0 0 9 0 5 0 0 2        Σ = 152, 152 mod 11 = 9 → "3"

VALID_USCCS = [
    "91512081MA62K0260E",
    "91350100M000100Y43",
    "91620300MA7404T515",
    "52620321MJ9912345F",
    "12100000400000624D",
    "93620302MA71X2Y3KJ",
]
VALID_RESIDENT_IDS = [
    "11010519491231002X",
    "620302198506151238",
    "620321200002290022",
    "830000197001010013",
]


# --- strategies ----------------------------------------------------------------------------

uscc_chars = st.sampled_from(USCC_ALPHABET)
digit_strings = st.text(string.digits, min_size=4, max_size=4)


@st.composite
def uscc_first17(draw: st.DrawFn) -> str:
    """17 characters with a valid authority, organisation type and area, and any body."""
    authority = draw(st.sampled_from(sorted(USCC_AUTHORITIES)))
    types = USCC_ORGANISATION_TYPES.get(authority)
    organisation_type = draw(st.sampled_from(sorted(types)) if types else uscc_chars)
    area = draw(st.just("100000") | st.builds(str.__add__, st.sampled_from(sorted(PROVINCES)), digit_strings))
    body = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    return authority + organisation_type + area + body


valid_usccs = uscc_first17().map(lambda first17: first17 + uscc_check_char(first17))


@st.composite
def resident_id_first17(draw: st.DrawFn) -> str:
    """17 digits with a valid area and a birth date from 1900-01-01 to TODAY."""
    prefix = draw(st.sampled_from([*sorted(PROVINCES), "83"]))
    area = prefix + draw(digit_strings)
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text(string.digits, min_size=3, max_size=3))
    return area + birth.strftime("%Y%m%d") + sequence


valid_resident_ids = resident_id_first17().map(lambda first17: first17 + resident_id_check_char(first17))

mobiles = st.builds(
    lambda second, rest: "1" + second + rest,
    st.sampled_from("3456789"),
    st.text(string.digits, min_size=9, max_size=9),
)

# Blanks a user may leave around a code, including the zero-width marks copied from web pages.
edge_blanks = st.text(" \t\n\u3000\u200b\ufeff", max_size=3)


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def assert_code_error(function, value: str, message: str, position: int | None = None) -> CodeError:
    with pytest.raises(CodeError) as caught:
        function(value)
    assert caught.value.message == message
    assert str(caught.value) == message
    assert caught.value.position == position
    return caught.value


# --- the check-character arithmetic --------------------------------------------------------


def test_uscc_weights_are_powers_of_three_mod_31() -> None:
    assert list(USCC_WEIGHTS) == [pow(3, i, 31) for i in range(17)]


def test_resident_id_weights_are_powers_of_two_mod_11() -> None:
    assert list(RESIDENT_ID_WEIGHTS) == [pow(2, 17 - i, 11) for i in range(17)]


def test_mod_31_weights_detect_every_single_substitution() -> None:
    # A substitution at position i changes Σ by d × w_i with d in ±1…30; 31 is prime and no
    # weight is 0 mod 31, so d × w_i is never 0 mod 31 and the check character always changes.
    assert all((d * w) % 31 != 0 for w in USCC_WEIGHTS for d in range(1, 31))


def test_mod_11_weights_detect_every_single_digit_substitution() -> None:
    assert all((d * w) % 11 != 0 for w in RESIDENT_ID_WEIGHTS for d in range(1, 10))


# --- unified social credit code ------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_USCCS)
def test_valid_uscc(code: str) -> None:
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    "entered",
    [
        "91512081ma62k0260e",
        "  91512081MA62K0260E\n",
        "\u200b91512081MA62K0260E\ufeff",
        "９１５１２０８１ＭＡ６２Ｋ０２６０Ｅ",
    ],
)
def test_uscc_is_normalised(entered: str) -> None:
    assert validate_uscc(entered) == "91512081MA62K0260E"


def test_uscc_wrong_check_character_names_the_expected_one() -> None:
    error = assert_code_error(
        validate_uscc,
        "91350100M000100Y4Z",
        "统一社会信用代码第18位校验码应为“3”，实际为“Z”，请核对代码是否抄错。",
        18,
    )
    assert error.expected == "3"


@pytest.mark.parametrize(
    ("value", "message", "position"),
    [
        ("", "请填写统一社会信用代码。", None),
        ("  \u3000 ", "请填写统一社会信用代码。", None),
        (
            "91512081MA62K0260",
            "统一社会信用代码应为18位，实际为17位，请核对是否漏填或多填。",
            None,
        ),
        (
            "91512081MA62K0260EE",
            "统一社会信用代码应为18位，实际为19位，请核对是否漏填或多填。",
            None,
        ),
        (
            "9151I081MA62K0260E",
            "统一社会信用代码第5位“I”不是合法字符，统一社会信用代码不使用 I、O、Z、S、V，请核对是否应为数字“1”。",
            5,
        ),
        (
            "91512081MAo2K0260E",
            "统一社会信用代码第11位“o”不是合法字符，统一社会信用代码不使用 I、O、Z、S、V，请核对是否应为数字“0”。",
            11,
        ),
        (
            "91512081MA6VK0260E",
            "统一社会信用代码第12位“V”不是合法字符，统一社会信用代码不使用 I、O、Z、S、V，请核对代码是否抄错。",
            12,
        ),
        (
            "91512081MA62K026*E",
            "统一社会信用代码第17位“*”不是合法字符，统一社会信用代码只由数字和大写英文字母组成"
            "（不使用 I、O、Z、S、V）。",
            17,
        ),
        ("9151 2081MA62K0260E", "统一社会信用代码第5位是空格，请删除空格。", 5),
        (
            "91512081MA62\u200bK0260E",
            "统一社会信用代码第13位是不可见字符（U+200B），请删除后重新填写。",
            13,
        ),
        (
            "B1512081MA62K0260E",
            "统一社会信用代码第1位登记管理部门代码“B”无效，应为数字1–9或字母A、N、Y，请核对代码。",
            1,
        ),
        (
            "94512081MA62K0260E",
            "统一社会信用代码第2位机构类别代码“4”与第1位登记管理部门“9”（工商）不符，应为1、2、3、9之一，请核对代码。",
            2,
        ),
        (
            "Y2512081MA62K0260E",
            "统一社会信用代码第2位机构类别代码“2”与第1位登记管理部门“Y”（其他）不符，应为1，请核对代码。",
            2,
        ),
        (
            "91992081MA62K0260E",
            "统一社会信用代码第3–8位登记管理机关行政区划码“992081”无效：前两位“99”不是有效的省级代码，请核对代码。",
            3,
        ),
        (
            "9151A081MA62K0260E",
            "统一社会信用代码第3–8位登记管理机关行政区划码“51A081”无效："
            "“A”不是数字，行政区划代码应为6位数字，请核对代码。",
            5,
        ),
    ],
)
def test_uscc_error_messages(value: str, message: str, position: int | None) -> None:
    assert_code_error(validate_uscc, value, message, position)


def test_uscc_authority_outside_the_type_table_accepts_any_type() -> None:
    # 3 司法行政 has types 1–5 and 9 in the standard; the table leaves it open on purpose.
    first17 = "3X620300MA7404T51"
    code = first17 + uscc_check_char(first17)
    assert validate_uscc(code) == code


def test_uscc_every_single_substitution_of_a_real_code_is_rejected() -> None:
    code = "91512081MA62K0260E"
    for index, original in enumerate(code):
        for replacement in USCC_ALPHABET.replace(original, ""):
            mutated = code[:index] + replacement + code[index + 1 :]
            with pytest.raises(CodeError):
                validate_uscc(mutated)


@pytest.mark.parametrize(
    ("first17", "message", "position"),
    [
        ("91512081MA62K026", "计算校验码需要统一社会信用代码的前17位，实际为16位。", None),
        (
            "91512081MA62K026O",
            "统一社会信用代码第17位“O”不是合法字符，统一社会信用代码不使用 I、O、Z、S、V，请核对是否应为数字“0”。",
            17,
        ),
    ],
)
def test_uscc_check_char_refuses_a_bad_body(first17: str, message: str, position: int | None) -> None:
    assert_code_error(uscc_check_char, first17, message, position)


@given(uscc_first17())
def test_uscc_any_body_with_its_check_char_validates(first17: str) -> None:
    code = first17 + uscc_check_char(first17)
    assert validate_uscc(code) == code


@given(valid_usccs, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_uscc_single_substitution_is_detected(code: str, index: int, shift: int) -> None:
    replacement = USCC_ALPHABET[(USCC_ALPHABET.index(code[index]) + shift) % 31]
    mutated = code[:index] + replacement + code[index + 1 :]
    assert uscc_check_char(mutated[:17]) != mutated[17]
    with pytest.raises(CodeError):
        validate_uscc(mutated)


@given(valid_usccs, edge_blanks, edge_blanks, st.booleans(), st.booleans())
def test_uscc_validation_is_idempotent(code: str, before: str, after: str, lower: bool, fullwidth: bool) -> None:
    entered = code.lower() if lower else code
    entered = to_fullwidth(entered) if fullwidth else entered
    normalised = validate_uscc(before + entered + after)
    assert normalised == code
    assert validate_uscc(normalised) == normalised


# --- resident ID number --------------------------------------------------------------------


def validate_id_at_fixed_date(value: str) -> str:
    return validate_resident_id(value, today=TODAY)


@pytest.mark.parametrize("number", VALID_RESIDENT_IDS)
def test_valid_resident_id(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number
    assert validate_resident_id(number) == number
    assert resident_id_check_char(number[:17]) == number[17]


def test_resident_id_lowercase_x_is_normalised() -> None:
    assert validate_resident_id(" 11010519491231002x ") == "11010519491231002X"


def test_resident_id_born_today_is_valid_and_tomorrow_is_not() -> None:
    first17 = "620302" + TODAY.strftime("%Y%m%d") + "123"
    number = first17 + resident_id_check_char(first17)
    assert validate_resident_id(number, today=TODAY) == number
    assert_code_error(
        lambda value: validate_resident_id(value, today=TODAY - dt.timedelta(days=1)),
        number,
        "身份证号码第7–14位出生日期“20250630”不是有效日期：出生日期晚于今天，请核对号码。",
        7,
    )


def test_resident_id_default_today_is_the_date_in_china() -> None:
    tomorrow = dt.datetime.now(tz=ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)
    first17 = "620302" + tomorrow.strftime("%Y%m%d") + "123"
    with pytest.raises(CodeError) as caught:
        validate_resident_id(first17 + resident_id_check_char(first17))
    assert caught.value.message.endswith("出生日期晚于今天，请核对号码。")


@pytest.mark.parametrize(
    ("value", "message", "position"),
    [
        ("", "请填写身份证号码。", None),
        (
            "11010519491332002X",
            "身份证号码第7–14位出生日期“19491332”不是有效日期：月份“13”不存在（应为01–12），请核对号码。",
            11,
        ),
        (
            "11010519490230002X",
            "身份证号码第7–14位出生日期“19490230”不是有效日期：1949年2月只有28天，日“30”不存在，请核对号码。",
            13,
        ),
        (
            "110105190002290021",
            "身份证号码第7–14位出生日期“19000229”不是有效日期：1900年2月只有28天，日“29”不存在，请核对号码。",
            13,
        ),
        (
            "110105194912000021",
            "身份证号码第7–14位出生日期“19491200”不是有效日期：1949年12月只有31天，日“00”不存在，请核对号码。",
            13,
        ),
        (
            "110105189912310021",
            "身份证号码第7–14位出生日期“18991231”不是有效日期：出生年份“1899”早于1900年，请核对号码。",
            7,
        ),
        (
            "110105202507010021",
            "身份证号码第7–14位出生日期“20250701”不是有效日期：出生日期晚于今天，请核对号码。",
            7,
        ),
        (
            "99010519491231002X",
            "身份证号码第1–6位行政区划代码“990105”无效：前两位“99”不是有效的省级代码，请核对号码。",
            1,
        ),
        (
            "110105194912310021",
            "身份证号码第18位校验码应为“X”，实际为“1”，请核对号码是否抄错。",
            18,
        ),
        (
            "11010519491231002Y",
            "身份证号码第18位校验码应为“X”，实际为“Y”，请核对号码是否抄错。",
            18,
        ),
        (
            "1101051949123100X2",
            "身份证号码第17位“X”不是数字，身份证号码前17位应为数字，第18位为数字或X。",
            17,
        ),
        ("110105 19491231002X", "身份证号码第7位是空格，请删除空格。", 7),
        (
            "11010519491231002",
            "身份证号码应为18位，实际为17位，请核对是否漏填或多填。",
            None,
        ),
        (
            "110105491231002",
            "身份证号码应为18位，实际为15位；15位的旧号码已停用，请填写18位号码。",
            None,
        ),
    ],
)
def test_resident_id_error_messages(value: str, message: str, position: int | None) -> None:
    assert_code_error(validate_id_at_fixed_date, value, message, position)


def test_resident_id_wrong_check_char_carries_the_expected_one() -> None:
    with pytest.raises(CodeError) as caught:
        validate_resident_id("110105194912310021", today=TODAY)
    assert caught.value.expected == "X"


@pytest.mark.parametrize(
    ("first17", "message", "position"),
    [
        ("1101051949123100", "计算校验码需要身份证号码的前17位，实际为16位。", None),
        (
            "1101051949123100X",
            "身份证号码第17位“X”不是数字，身份证号码前17位应为数字。",
            17,
        ),
    ],
)
def test_resident_id_check_char_refuses_a_bad_body(first17: str, message: str, position: int | None) -> None:
    assert_code_error(resident_id_check_char, first17, message, position)


@given(resident_id_first17())
def test_resident_id_any_body_with_its_check_char_validates(first17: str) -> None:
    number = first17 + resident_id_check_char(first17)
    assert validate_resident_id(number, today=TODAY) == number


@given(valid_resident_ids, st.integers(min_value=0, max_value=17), st.data())
def test_resident_id_single_substitution_is_detected(number: str, index: int, data: st.DataObject) -> None:
    symbols = string.digits if index < 17 else string.digits + "X"
    replacement = data.draw(st.sampled_from(symbols.replace(number[index], "")))
    mutated = number[:index] + replacement + number[index + 1 :]
    assert resident_id_check_char(mutated[:17]) != mutated[17]
    with pytest.raises(CodeError):
        validate_resident_id(mutated, today=TODAY)


@given(valid_resident_ids, edge_blanks, edge_blanks)
def test_resident_id_validation_is_idempotent(number: str, before: str, after: str) -> None:
    normalised = validate_resident_id(before + number.lower() + after, today=TODAY)
    assert normalised == number
    assert validate_resident_id(normalised, today=TODAY) == normalised


# --- mobile numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entered",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+8613812345678",
        "+86 138-1234-5678",
        "8613812345678",
        "0086 138 1234 5678",
        "１３８１２３４５６７８",
    ],
)
def test_valid_mobile(entered: str) -> None:
    assert validate_mobile(entered) == "13812345678"


@pytest.mark.parametrize(
    ("value", "message", "position"),
    [
        ("", "请填写手机号码。", None),
        ("1381234567", f"{MOBILE_RULE}，实际为10位数字。", None),
        ("138123456789", f"{MOBILE_RULE}，实际为12位数字。", None),
        ("12812345678", f"{MOBILE_RULE}，实际第2位为“2”。", 2),
        ("23812345678", f"{MOBILE_RULE}，实际第1位为“2”。", 1),
        (
            "0931-8888888",
            f"{MOBILE_RULE}；“09318888888”以0开头，像是固定电话号码，请填写手机号码。",
            1,
        ),
        ("138a2345678", f"手机号码第4位“a”不是数字，{MOBILE_RULE}。", 4),
        ("+1 415 555 2671", f"只能填写中国大陆手机号码（国际区号+86），{MOBILE_RULE}。", None),
    ],
)
def test_mobile_error_messages(value: str, message: str, position: int | None) -> None:
    assert_code_error(validate_mobile, value, message, position)


@given(
    mobiles,
    st.sampled_from(["", "+86", "+86 ", "86", "0086", "0086-"]),
    st.lists(st.sampled_from([" ", "-"]), max_size=3),
    edge_blanks,
)
def test_mobile_validation_is_idempotent(number: str, prefix: str, separators: list[str], around: str) -> None:
    formatted = number[:3] + "".join(separators) + number[3:7] + " " + number[7:]
    normalised = validate_mobile(around + prefix + formatted + around)
    assert normalised == number
    assert validate_mobile(normalised) == normalised


# --- administrative division codes ---------------------------------------------------------


def test_province_list_is_the_fixed_gb_t_2260_list() -> None:
    # fmt: off
    expected = [
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]
    # fmt: on
    assert sorted(PROVINCES) == expected
    assert PROVINCES["62"] == "甘肃省"
    assert is_province_code("62")
    assert not is_province_code("99")


def test_known_codes_are_valid_and_named() -> None:
    assert KNOWN == {
        "620000": "甘肃省",
        "620100": "兰州市",
        "620300": "金昌市",
        "620302": "金川区",
        "620321": "永昌县",
    }
    for code in KNOWN:
        assert validate_area_code(code) == code


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("620300", "金昌市"),
        (" 620321 ", "永昌县"),
        ("110000", "北京市"),
        ("820000", "澳门特别行政区"),
        ("110105", None),
        ("990000", None),
        ("62", None),
    ],
)
def test_area_name(code: str, name: str | None) -> None:
    assert area_name(code) == name


@pytest.mark.parametrize(
    ("value", "message", "position"),
    [
        ("", "请填写行政区划代码。", None),
        ("990000", "行政区划代码前两位“99”不是有效的省级代码，请核对代码。", 1),
        ("6203", "行政区划代码应为6位数字，实际为4位。", None),
        ("62030A", "行政区划代码第6位“A”不是数字，行政区划代码应为6位数字。", 6),
    ],
)
def test_area_code_error_messages(value: str, message: str, position: int | None) -> None:
    assert_code_error(validate_area_code, value, message, position)


@given(st.sampled_from(sorted(PROVINCES)), digit_strings, edge_blanks)
def test_area_code_validation_is_idempotent(province: str, rest: str, around: str) -> None:
    code = province + rest
    assert validate_area_code(around + code + around) == code
    assert validate_area_code(code) == code


# --- masks ---------------------------------------------------------------------------------


def test_mask_examples() -> None:
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_resident_id("1234567890") == "**********"
    assert mask_mobile("1234567") == "*******"
    assert mask_resident_id("") == ""


@given(st.text())
@example("11010519491231002X")
def test_mask_resident_id_keeps_length_and_ends(value: str) -> None:
    masked = mask_resident_id(value)
    assert len(masked) == len(value)
    if len(value) > 10:
        assert masked[:6] == value[:6]
        assert masked[-4:] == value[-4:]
        assert set(masked[6:-4]) == {"*"}
    else:
        assert masked == "*" * len(value)
    assert mask_resident_id(masked) == masked


@given(st.text())
@example("13812345678")
def test_mask_mobile_keeps_length_and_ends(value: str) -> None:
    masked = mask_mobile(value)
    assert len(masked) == len(value)
    if len(value) > 7:
        assert masked[:3] == value[:3]
        assert masked[-4:] == value[-4:]
        assert set(masked[3:-4]) == {"*"}
    else:
        assert masked == "*" * len(value)
    assert mask_mobile(masked) == masked


@given(valid_resident_ids, mobiles)
def test_masks_of_valid_numbers(number: str, mobile: str) -> None:
    assert mask_resident_id(number) == number[:6] + "********" + number[14:]
    assert mask_mobile(mobile) == mobile[:3] + "****" + mobile[7:]


# --- arbitrary input -----------------------------------------------------------------------

# Text near the codes' alphabets reaches the later checks far more often than st.text() does.
near_codes = st.text(st.sampled_from(USCC_ALPHABET + "iozsvxX+-* \u3000\u200b１８６"), max_size=22) | st.text(
    max_size=22
)


def check_only_code_error(function, value: str) -> None:
    try:
        result = function(value)
    except CodeError as error:
        assert error.message
        assert error.message.endswith("。")
        assert error.position is None or 1 <= error.position <= len(value)
    else:
        assert isinstance(result, str)


@given(near_codes)
def test_arbitrary_text_raises_only_code_error(value: str) -> None:
    for function in (
        validate_uscc,
        validate_id_at_fixed_date,
        validate_mobile,
        validate_area_code,
        uscc_check_char,
        resident_id_check_char,
    ):
        check_only_code_error(function, value)


@given(st.text(string.digits + "xX", min_size=18, max_size=18))
def test_arbitrary_eighteen_digits_raise_only_code_error(value: str) -> None:
    check_only_code_error(validate_id_at_fixed_date, value)
    check_only_code_error(validate_uscc, value)


def test_code_error_is_a_value_error() -> None:
    error = CodeError("请填写统一社会信用代码。", position=3, expected="X")
    assert isinstance(error, ValueError)
    assert (error.message, error.position, error.expected) == ("请填写统一社会信用代码。", 3, "X")
