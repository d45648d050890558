import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.enterprises.classifier import RUN_MAX_CHARS, Model, runs, score, segment, suggest
from onezone.enterprises.models import CategoryWord, EnterpriseRequest
from onezone.enterprises.services import request_category_confirm, request_submit


def test_segment_keeps_meaningful_words():
    assert segment("我公司希望协调解决用电问题，电价太高！") == ["用电", "电价", "太高"]
    assert segment("") == []


def test_score_picks_the_category_and_explains_it():
    model = Model(weights={"a": {"用电": 3, "电价": 3}, "b": {"贷款": 3}, "c": {}})
    result = score(model, ["用电", "电价", "贷款", "陌生词"])
    assert result.category == "a"
    assert result.words == ["用电", "电价"]
    assert result.scores == {"a": 2.0, "b": 1.0, "c": 0.0}
    assert score(model, ["陌生词"]).category is None
    assert score(model, []).words == []


def test_ties_go_to_the_first_category():
    model = Model(weights={"a": {"x": 1}, "b": {"x": 1}})
    assert score(model, ["x"]).category == "a"


@given(st.lists(st.sampled_from(["用电", "电价", "贷款", "融资", "其他"]), max_size=12))
def test_explanation_words_come_from_the_text_and_favour_the_choice(words):
    model = Model(
        weights={"utilities": {"用电": 3, "电价": 3}, "funding": {"贷款": 3, "融资": 3}, "other": {"其他": 3}}
    )
    result = score(model, words)
    assert set(result.words) <= set(words)
    if result.category is not None:
        assert all(model.weights[result.category].get(w, 0) > 0 for w in result.words)
    else:
        assert words == []


pytestmark = pytest.mark.django_db


def test_seeded_model_suggests_with_words(setup):
    result = suggest(zone_id=setup.pk, text="企业流动资金紧张，希望协调银行贷款和贴息")
    assert result.category == "funding"
    assert set(result.words) == {"银行", "贷款", "贴息"}
    assert suggest(zone_id=setup.pk, text="厂区需要办理施工许可和环评手续").category == "approvals"
    assert suggest(zone_id=setup.pk, text="今年缺工严重，招聘不到技工").category == "workers"


def test_a_correction_changes_a_later_suggestion(firms, users):
    text = "冬季蒸汽管道压力不足，影响生产线运行"
    zone_id = firms["a"].zone_id
    before = suggest(zone_id=zone_id, text=text)
    assert before.category is None  # no word of the text is known yet
    request = request_submit(actor=firms["user_a"], enterprise=firms["a"], title="蒸汽不足", description=text)
    assert request.category.code == "other"
    request_category_confirm(actor=users["clerk"], request=request, category="utilities")
    after = suggest(zone_id=zone_id, text="蒸汽压力不足")
    assert after.category == "utilities"
    assert set(after.words) == {"蒸汽", "压力", "不足"}
    assert (
        CategoryWord.objects.get(category__code="utilities", word="蒸汽").weight == 4.0
    )  # twice in the text, correction weight 2
    request.refresh_from_db()
    assert request.category_confirmed is True
    assert request.category.code == "utilities"


def test_correction_outweighs_a_seed_word(firms, users):
    zone_id = firms["a"].zone_id
    text = "出口退税到账慢，外贸订单回款困难"
    first = suggest(zone_id=zone_id, text=text)
    assert first.category in {"policy", "orders"}
    for _ in range(2):
        request = request_submit(actor=firms["user_a"], enterprise=firms["a"], title="外贸", description=text)
        request_category_confirm(actor=users["clerk"], request=request, category="market")
    assert suggest(zone_id=zone_id, text=text).category == "market"
    assert EnterpriseRequest.objects.filter(category__code="market").count() == 2


@given(st.text(alphabet="电力增容贷款，。 a", max_size=600))
def test_runs_are_bounded_and_keep_every_character_but_the_breaks(text):
    pieces = runs(text)
    assert all(0 < len(piece) <= RUN_MAX_CHARS for piece in pieces)
    assert "".join(pieces) == "".join(ch for ch in text if ch not in "，。 ")


def test_a_long_run_without_punctuation_is_cut_into_bounded_runs():
    assert runs("电" * 130) == ["电" * 64, "电" * 64, "电" * 2]
    assert segment("用电增容，" * 3) == ["用电", "增容"] * 3
