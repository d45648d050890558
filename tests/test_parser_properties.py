"""Property-based tests of the validators and parsers that had only example tests.

Each parser either returns a value or raises the project's validation error with a Chinese message
(never an exception that would become a 500); what it formats it parses back unchanged. The list of
every validator and parser and the test that covers it is in docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import string
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from onezone.assessment.evaluation import Node, TreeError, check_tree
from onezone.core import api_types
from onezone.core.calendar import parse_arrangement
from onezone.core.errors import InvalidInput
from onezone.core.imports.columns import date as date_column
from onezone.core.imports.reading import Sheet, read_rows
from onezone.core.money import WAN, format_wan, yuan
from onezone.enterprises.services.transfer import COLUMNS as ENTERPRISE_COLUMNS
from onezone.personnel.services.schemes import check_indicators
from onezone.policies.amounts import validate_amount_rule
from onezone.policies.conditions import FIELDS, OPERATOR_NAMES, ConditionError
from onezone.policies.conditions import validate as validate_conditions
from onezone.window.open311 import _date as open311_date
from onezone.window.selectors import _parse_cursor

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PG_BIGINT = 2**63


def assert_chinese(error: Exception) -> None:
    message = getattr(error, "message", None) or str(error)
    assert CHINESE.search(message), message


# Plain JSON-like data, as a parsed YAML or JSON file gives.
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.floats(allow_nan=True)


def _containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


json_like = st.recursive(scalars, _containers, max_leaves=8)
date_like = st.dates().map(dt.date.isoformat) | st.text(string.digits + "-/. WT:", max_size=12) | scalars


# --- core.calendar.parse_arrangement: a year's holiday file ------------------------------------------


@st.composite
def arrangement_dicts(draw):
    """A mapping shaped like the holiday file, every part possibly wrong."""
    entry = st.dictionaries(st.sampled_from(["name", "start", "end", "date"]), date_like | st.text(max_size=6))
    return {
        "year": draw(st.integers(1990, 2110) | json_like),
        "document": draw(st.text(max_size=10)),
        "holidays": draw(st.lists(entry | json_like, max_size=4) | json_like),
        "workdays": draw(st.lists(entry | json_like, max_size=4) | json_like),
    }


@given(arrangement_dicts() | json_like)
def test_arrangement_parser_raises_only_invalid_input(data):
    try:
        year, _document, days = parse_arrangement(data)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert all(day.year == year for day in days)


@given(st.integers(2000, 2100), st.lists(st.tuples(st.integers(1, 365), st.integers(0, 6)), min_size=1, max_size=5))
def test_arrangement_of_valid_holidays_comes_back_day_by_day(year, spans):
    start_of_year = dt.date(year, 1, 1)
    holidays, expected = [], {}
    for offset, length in spans:
        start = start_of_year + dt.timedelta(days=offset - 1)
        end = min(start + dt.timedelta(days=length), dt.date(year, 12, 31))
        days = {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
        if days & expected.keys():
            continue
        holidays.append({"name": "春节", "start": start.isoformat(), "end": end.isoformat()})
        expected |= dict.fromkeys(days, ("holiday", "春节"))
    parsed_year, document, days = parse_arrangement({"year": year, "document": "国办发明电", "holidays": holidays})
    assert (parsed_year, document, days) == (year, "国办发明电", expected)


# --- window: the queue's cursor and the Open311 dates --------------------------------------------------


@given(st.text(max_size=40) | st.builds("{}_{}".format, st.dates(), st.integers(-(2**70), 2**70)))
def test_queue_cursor_is_a_date_and_a_storable_id_or_refused(cursor):
    try:
        parsed = _parse_cursor(cursor)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        if cursor:
            day, pk = parsed
            assert isinstance(day, dt.date)
            assert 0 < pk < PG_BIGINT  # another number would fail in the database query or match nothing


@given(st.dates(), st.integers(1, PG_BIGINT - 1))
def test_queue_cursor_round_trips(day, pk):
    assert _parse_cursor(f"{day.isoformat()}_{pk}") == (day, pk)


@given(st.text(max_size=30) | date_like.filter(lambda v: isinstance(v, str)))
def test_open311_date_is_a_date_or_refused(value):
    try:
        parsed = open311_date(value)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert parsed is None or isinstance(parsed, dt.date)


@given(st.dates())
def test_open311_date_round_trips(day):
    assert open311_date(day.isoformat()) == day


query_text = st.text(st.characters(codec="utf-8"), max_size=20)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "zone": query_text | st.just("testzone"),
            "service_request_id": query_text,
            "service_code": query_text,
            "status": query_text | st.sampled_from(["open", "closed"]),
            "start_date": query_text | st.dates().map(dt.date.isoformat),
            "end_date": query_text,
        },
    )
)
@example(params={"zone": "test\x00zone"})
@example(params={"zone": "testzone", "service_code": "\x00", "service_request_id": "\x00", "start_date": "\x00"})
def test_open311_requests_answer_json_for_any_parameters(zone, client, params):
    response = client.get("/api/v1/window/open311/requests.json", params)
    assert response.status_code in (200, 400, 404, 422), (params, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    if response.status_code != 200:
        assert CHINESE.search(response.json()["message"]) or response.status_code == 422


# --- enterprises: the import file ----------------------------------------------------------------------


@given(date_like | st.text(max_size=14))
def test_import_date_cell_is_a_date_or_a_chinese_value_error(value):
    try:
        parsed = date_column()(value)
    except ValueError as error:
        assert_chinese(error)
    else:
        assert parsed is None or isinstance(parsed, dt.date)


@given(st.dates(), st.sampled_from(["-", "/", "."]))
def test_import_date_cell_round_trips_each_separator(day, separator):
    assert date_column()(day.isoformat().replace("-", separator)) == day


@settings(max_examples=30)
@given(st.binary(max_size=300) | st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b))
def test_import_of_arbitrary_bytes_raises_only_invalid_input(content):
    with pytest.raises(InvalidInput) as caught:
        _read_rows(content)
    assert_chinese(caught.value)


def _read_rows(content: bytes):
    """The enterprise register's reading of an upload: its rows and report, or a Chinese refusal."""
    return read_rows(content, Sheet(ENTERPRISE_COLUMNS, each="每行一家企业", max_rows=100), noun="企业")


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Text a worksheet can hold (openpyxl refuses control characters when writing).
cells = st.none() | st.integers(-(10**6), 10**6) | st.text(st.characters(min_codepoint=32), max_size=8) | st.dates()


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(cells, max_size=5), max_size=4))
def test_import_of_any_workbook_reads_rows_or_raises_invalid_input(rows):
    try:
        data, _report = _read_rows(_workbook(rows))
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert data


# --- policies: the amount rule -------------------------------------------------------------------------

numbers = (
    st.integers(-5, 10**7) | st.decimals(allow_nan=True) | st.floats() | st.text("0123456789.,-eEnaNIif ", max_size=8)
)


@given(
    json_like
    | st.fixed_dictionaries(
        {"kind": st.sampled_from(["none", "fixed", "rate", "other"])},
        optional={
            "amount": numbers,
            "rate": numbers,
            "cap": numbers | st.none(),
            "metric": st.sampled_from(["tax", "employees", "revenue", "nothing"]) | json_like,
            "year": st.sampled_from(["previous", "latest", "next"]) | st.integers(1990, 2100) | json_like,
        },
    )
)
def test_amount_rule_validator_raises_only_condition_error(rule):
    try:
        validate_amount_rule(rule)
    except ConditionError as error:
        assert_chinese(error)


# --- personnel: a scheme's indicators ------------------------------------------------------------------

indicator = st.fixed_dictionaries(
    {"name": st.text(max_size=6), "weight": numbers | json_like},
    optional={
        "source": st.sampled_from(["manual", "formula", "metric", "other"]),
        "formula": st.text("self+leader*0.5() peer/", max_size=15) | st.none(),
        "metric_key": st.text(max_size=4) | st.none(),
    },
)


@given(st.lists(indicator, max_size=4))
def test_indicator_check_raises_only_invalid_input(rows):
    try:
        check_indicators(rows)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert sum(Decimal(str(r["weight"])) for r in rows) == 100


@given(st.lists(st.integers(1, 40), min_size=1, max_size=6))
def test_indicator_weights_that_add_to_a_hundred_are_accepted(weights):
    weights = [*weights, 100 - sum(weights)]
    assume(weights[-1] > 0)
    check_indicators([{"name": f"指标{i}", "weight": w, "source": "manual"} for i, w in enumerate(weights)])


# --- assessment: the indicator tree --------------------------------------------------------------------


@given(
    st.lists(
        st.tuples(
            st.text("ab", min_size=1, max_size=2),
            st.decimals(-10, 120, places=1, allow_nan=False),
            st.sampled_from(["minmax", "zscore", "ratio", "log"]),
        ),
        max_size=5,
    )
)
def test_tree_check_raises_only_tree_error(children):
    root = Node(
        key="root",
        name="总分",
        children=tuple(Node(key=k, name=f"指标{k}", weight=w, method=m) for k, w, m in children),
    )
    try:
        check_tree(root)
    except TreeError as error:
        assert error.problems and all(CHINESE.search(p) for p in error.problems)


# --- core.money: the amounts officials read ------------------------------------------------------------


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4))
def test_yuan_is_idempotent_and_exact_to_the_fen(value):
    once = yuan(value)
    assert yuan(once) == once == yuan(str(value))
    assert abs(once - value) <= Decimal("0.005")


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=2))
def test_wan_display_parses_back_to_the_amount(value):
    text = format_wan(value, places=6)
    assert text.endswith("万元")
    assert Decimal(text.removesuffix("万元").replace(",", "")) * WAN == value


# --- core.api_types: the constrained API parameters ----------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "low", "high"),
    [
        (api_types.Year, 2000, 2100),
        (api_types.Limit, 1, 500),
        (api_types.Offset, 0, 10_000_000),
        (api_types.Id, 1, None),
    ],
)
@given(value=st.integers(-(2**70), 2**70))
def test_api_number_types_accept_exactly_their_range(type_, low, high, value):
    high = PG_BIGINT - 1 if high is None else high
    adapter = TypeAdapter(type_)
    if low <= value <= high:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


# --- policies: a policy's condition tree ---------------------------------------------------------------

leaf = st.fixed_dictionaries(
    {
        "field": st.sampled_from([*FIELDS, "unknown"]),
        "op": st.sampled_from([*OPERATOR_NAMES, "~"]),
        "value": json_like | numbers | st.lists(st.text(max_size=4), max_size=3),
    },
    optional={"year": st.sampled_from(["previous", "latest"]) | json_like},
)
condition_trees = st.recursive(
    leaf | json_like,
    lambda inner: st.dictionaries(
        st.sampled_from(["all", "any", "not"]), st.lists(inner, max_size=3) | inner, max_size=2
    ),
    max_leaves=6,
)


@given(condition_trees | st.lists(condition_trees, max_size=3))
def test_condition_validator_raises_only_condition_error(conditions):
    try:
        validate_conditions(conditions)
    except ConditionError as error:
        assert_chinese(error)


# --- investment: a reward scheme's tiers (a JSON field typed in the admin) ---------------------------


tier = st.dictionaries(st.sampled_from(["up_to", "rate", "other"]), numbers | json_like, max_size=3)


@given(st.lists(tier, max_size=4) | json_like)
def test_reward_tiers_are_refused_only_with_a_validation_error(tiers):
    from django.core.exceptions import ValidationError as ModelValidationError

    from onezone.investment.models import RewardPolicy

    scheme = RewardPolicy(name="奖励办法", effective_from=dt.date(2026, 1, 1), tiers=tiers)
    try:
        scheme.clean()
    except ModelValidationError as error:
        assert all(CHINESE.search(m) for m in error.messages)


# --- window: the public look-up of a case (number and query code typed by anyone) ---------------------


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=query_text, code=query_text)
@example(number="YC\x00001", code="\x00")
def test_public_case_lookup_answers_a_page_for_any_input(client, number, code):
    response = client.post("/portal/window/lookup/", {"number": number, "code": code})
    assert response.status_code in (200, 400, 404, 429), (number, code, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    rating = client.post("/portal/window/rate/", {"number": number, "code": code, "level": "5"})
    assert rating.status_code in (200, 302, 400, 404, 409, 429), (number, code, rating.status_code)


# --- zones/enterprises: industry codes (GB/T 4754) -----------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(string.ascii_letters + string.digits + " \x00-", max_size=8) | st.text(max_size=6))
def test_industry_code_is_normalised_or_refused_in_chinese(value):
    from onezone.enterprises.services.registry import normalise_industry
    from onezone.zones.models import Industry
    from onezone.zones.services import industries_load_catalogue

    if not Industry.objects.exists():  # once per test: the examples share its transaction
        industries_load_catalogue()
    try:
        code = normalise_industry(value)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert code == code.strip().upper() and normalise_industry(code) == code


# --- core.uploads: the content of any uploaded file ----------------------------------------------------

magic = st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a"])


@settings(max_examples=40)
@given(st.builds(bytes.__add__, magic, st.binary(max_size=300)))
def test_upload_content_check_accepts_a_known_type_or_raises_only_invalid_input(data):
    from onezone.core.uploads import DOCUMENTS, check_content

    try:
        kind = check_content(data, allowed=DOCUMENTS)
    except InvalidInput as error:
        assert_chinese(error)
    else:
        assert kind in DOCUMENTS


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(complainant=query_text, content=query_text)
@example(complainant="张三", content="窗口\x00推诿")
@example(complainant="张\x00三", content="窗口推诿")
def test_public_complaint_form_answers_a_page_for_any_text(zone, calendar_seeded, client, complainant, content):
    from onezone.org.models import Body, RoutingRule

    if not RoutingRule.objects.filter(zone=zone).exists():  # once per test: the examples share its transaction
        body = Body.objects.filter(zone=zone).first() or Body.objects.create(
            zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE
        )
        RoutingRule.objects.create(
            zone=zone, category="window_service", category_name="政务服务", domain="economic", body=body
        )
    response = client.post(
        "/portal/window/complaint/", {"zone": zone.pk, "complainant": complainant, "content": content}
    )
    assert response.status_code in (200, 400, 404, 429), (complainant, content, response.status_code)
    assert response["Content-Type"].startswith("text/html")
