"""The demo's materials step: the demo enterprise's three pre-reviews and the files they gave a case agree."""

from __future__ import annotations

import pytest

from onezone.demo.loader import load_demo
from onezone.window.models_materials import CaseFile, PreReview, PreReviewFile, PreReviewStatus


@pytest.mark.django_db
def test_the_demo_enterprise_has_a_prereview_in_each_state(calendar_seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ctx = load_demo(only=["s10_foundation", "s20_powers", "s30_enterprises", "s55_materials"])

    rows = {p.status: p for p in PreReview.objects.filter(enterprise=ctx.extra["enterprise"])}
    assert sorted(rows) == sorted([PreReviewStatus.SUBMITTED, PreReviewStatus.RETURNED, PreReviewStatus.TAKEN])
    returned = rows[PreReviewStatus.RETURNED]
    assert list(returned.line_notes.values()) == ["扫描件不清晰，公章看不清，请重新扫描（300dpi 以上）后上传。"]
    taken = rows[PreReviewStatus.TAKEN]
    given = sorted(PreReviewFile.objects.filter(prereview=taken).values_list("sha256", flat=True))
    assert given and sorted(CaseFile.objects.filter(case=taken.case).values_list("sha256", flat=True)) == given
    assert taken.case.applicant_uscc == ctx.extra["enterprise"].uscc
    waiting = rows[PreReviewStatus.SUBMITTED]
    assert PreReviewFile.objects.filter(prereview=waiting).count() == len(waiting.materials)
    for stored in PreReviewFile.objects.all():
        assert stored.file.storage.open(stored.file.name).read(5) in (b"%PDF-", b"\x89PNG\r")
