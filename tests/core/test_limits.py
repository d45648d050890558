import pytest

from onezone.core.errors import InvalidInput
from onezone.core.limits import length_fault, require_lengths


def test_length_fault_names_the_limit_and_the_length_received():
    assert length_fault("投诉内容", "字" * 5_000, 5_000) == ""
    assert length_fault("投诉内容", "字" * 5_001, 5_000) == "投诉内容最多 5,000 个字，收到 5,001 个字，请删减后再提交。"
    assert length_fault("投诉内容", None, 10) == ""
    # Surrounding white space is not the person's text.
    assert length_fault("标题", "  标题  ", 2) == ""


def test_require_lengths_refuses_every_long_input_at_once():
    with pytest.raises(InvalidInput) as caught:
        require_lengths(title=("标题", "题" * 101, 100), note=("备注", "短", 200), body=("内容", "字" * 11, 10))
    assert caught.value.fields == {
        "title": "标题最多 100 个字，收到 101 个字，请删减后再提交。",
        "body": "内容最多 10 个字，收到 11 个字，请删减后再提交。",
    }
    assert (
        caught.value.message
        == "标题最多 100 个字，收到 101 个字，请删减后再提交。；内容最多 10 个字，收到 11 个字，请删减后再提交。"
    )
    require_lengths(title=("标题", "题" * 100, 100))
