import pytest

from onezone.core.steps import named_step


def run(*, action, note="", on=None):
    return (action, note, on)


def test_named_step_fixes_the_action_and_renames_the_text():
    resume = named_step(run, "case", "resume", "特别程序结束", text_keyword="result", text_param="note")
    assert resume.__name__ == "case_resume"
    assert resume.__doc__ == "特别程序结束 (``run`` with action ``resume``)."
    assert resume(result="程序完成", on=3) == ("resume", "程序完成", 3)
    assert resume() == ("resume", "", None)


@pytest.mark.parametrize("keyword", ["action", "note", "reason"])
def test_named_step_refuses_the_fixed_the_inner_and_unknown_keywords(keyword):
    resume = named_step(run, "case", "resume", "特别程序结束", text_keyword="result", text_param="note")
    with pytest.raises(TypeError, match=keyword):
        resume(**{keyword: "x"})


def test_named_step_without_text_takes_none():
    close = named_step(run, "case", "close", "办结归档", text_keyword="", text_param="note")
    assert close(on=1) == ("close", "", 1)
    with pytest.raises(TypeError, match="note"):
        close(note="x")
    with pytest.raises(TypeError):
        close("positional")


def test_named_step_whose_text_keyword_is_the_inner_name_passes_it_through():
    reject = named_step(run, "award", "reject", "不予奖励", text_keyword="note", text_param="note")
    assert reject(note="材料不足") == ("reject", "材料不足", None)
