"""The back office theme speaks Chinese: the project supplies the catalogue the theme lacks."""

import re
from pathlib import Path

import pytest
from django.utils import translation

import onezone

PO = Path(onezone.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str]]:
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE)
    return [
        (
            a.encode().decode("unicode_escape").encode("latin-1").decode(),
            b.encode().decode("unicode_escape").encode("latin-1").decode(),
        )
        for a, b in pairs
    ]


def test_the_compiled_catalogue_is_the_one_written():
    entries = _entries()
    assert len(entries) > 100
    with translation.override("zh-hans"):
        wrong = [
            (msgid, translation.gettext(msgid)) for msgid, msgstr in entries if translation.gettext(msgid) != msgstr
        ]
    assert not wrong, f"run msgfmt on {PO}: {wrong[:5]}"


@pytest.mark.django_db
def test_a_list_page_has_no_english_chrome(client, zone, users):
    client.force_login(users["admin"])
    text = client.get("/admin/zones/park/").content.decode()
    assert "搜索功能和数据" in text
    for english in ("Search apps and models", "Type to search", "All applications", "Return to site"):
        assert english not in text
