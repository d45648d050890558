"""申请材料预审: the enterprise starts, uploads per line, submits; the clerk returns it with notes or takes it
into the case; each step only by whom it belongs to; the pipeline refuses what it does not allow."""

from __future__ import annotations

import pytest

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.window import prereview, services
from onezone.window.models_materials import CaseFile, FileSource, PreReview, PreReviewFile, PreReviewStatus
from tests.window import materials_fixtures as fixtures
from tests.window.materials_fixtures import JPEG_BYTES, pdf_bytes, png_bytes, raw

pytestmark = pytest.mark.django_db

case = fixtures.case
firm = fixtures.firm
media = fixtures.media
other_firm = fixtures.other_firm
parks = fixtures.parks


@pytest.fixture
def started(zone, users, items, firm, media):
    return prereview.prereview_start(actor=users["enterprise"], zone_id=zone.pk, item_id=items["promised"].pk)


def _ids(p) -> list[int]:
    return [int(m["material_id"]) for m in p.materials]


def _add(p, user, line=0, name="申请书.pdf", data=None):
    return prereview.prereview_file_add(
        actor=user, prereview_id=p.pk, material_id=_ids(p)[line], upload=raw(name, data or pdf_bytes() + bytes([line]))
    )


def _ready(p, user):
    _add(p, user, 0)
    _add(p, user, 1, "营业执照.png", png_bytes())
    return prereview.prereview_submit(actor=user, prereview_id=p.pk)


def test_start_snapshots_the_checklist_and_numbers_it(started, firm, items):
    assert started.number == "TESTZO-YS-2026-000001"
    assert started.enterprise == firm and started.status == PreReviewStatus.DRAFT
    assert [(m["name"], m["required"]) for m in started.materials] == [
        ("申请书", True),
        ("营业执照复印件", True),
        ("授权委托书", False),
    ]
    assert started.materials[0]["standard"] == "签字盖章"
    assert AuditEvent.objects.filter(action="prereview.start", object_id=str(started.pk)).count() == 1


def test_only_a_linked_enterprise_user_starts_one(zone, users, items, firm, media):
    for role in ("clerk", "admin", "leader"):
        with pytest.raises(PermissionDenied, match="没有关联本开发区的企业"):
            prereview.prereview_start(actor=users[role], zone_id=zone.pk, item_id=items["promised"].pk)
    assert not PreReview.objects.exists()


def test_submit_needs_every_required_line(started, users):
    _add(started, users["enterprise"], 0)
    with pytest.raises(InvalidInput, match="必要材料尚未上传：营业执照复印件"):
        prereview.prereview_submit(actor=users["enterprise"], prereview_id=started.pk)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.DRAFT and started.submitted_at is None


def test_the_full_round_return_fix_resubmit_take(started, users, staff, case, zone):
    enterprise_user, clerk = users["enterprise"], staff["clerk"]
    _ready(started, enterprise_user)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.SUBMITTED and started.submitted_at is not None
    with pytest.raises(Conflict, match="不能再上传文件"):
        _add(started, enterprise_user, 2)

    first, second = _ids(started)[:2]
    prereview.prereview_return(
        actor=clerk, prereview_id=started.pk, line_notes={first: "  公章不清晰  ", second: ""}, note="请重新扫描"
    )
    started.refresh_from_db()
    assert started.status == PreReviewStatus.RETURNED
    assert started.line_notes == {str(first): "公章不清晰"} and started.note == "请重新扫描"
    assert started.reviewed_by == clerk

    wrong = PreReviewFile.objects.get(prereview=started, material_id=first)
    prereview.prereview_file_delete(actor=enterprise_user, file_id=wrong.pk)
    _add(started, enterprise_user, 0, "申请书（重扫）.pdf", pdf_bytes() + b"rescanned")
    prereview.prereview_submit(actor=enterprise_user, prereview_id=started.pk)

    prereview.prereview_take(actor=clerk, prereview_id=started.pk, case_id=case.pk)

    started.refresh_from_db()
    assert started.status == PreReviewStatus.TAKEN and started.case == case
    taken = list(CaseFile.objects.filter(case=case).order_by("material_id", "id"))
    assert [(f.material_name, f.original_name, f.source) for f in taken] == [
        ("申请书", "申请书（重扫）.pdf", FileSource.PREREVIEW),
        ("营业执照复印件", "营业执照.png", FileSource.PREREVIEW),
    ]
    held = {f.sha256: f.file.name for f in PreReviewFile.objects.filter(prereview=started)}
    assert {f.sha256: f.file.name for f in taken} == held  # the same stored files, not copies
    assert AuditEvent.objects.filter(action="case.file_attach", object_id=str(case.pk)).count() == 2
    with pytest.raises(TransitionNotAllowed, match="已转入办件"):
        prereview.prereview_withdraw(actor=enterprise_user, prereview_id=started.pk)


def test_return_needs_a_note_and_bounds_it(started, users, staff):
    _ready(started, users["enterprise"])
    with pytest.raises(InvalidInput, match="请至少对一项材料写明问题"):
        prereview.prereview_return(actor=staff["clerk"], prereview_id=started.pk, line_notes={})
    with pytest.raises(InvalidInput, match="最多 200 个字，收到 201 个"):
        prereview.prereview_return(
            actor=staff["clerk"], prereview_id=started.pk, line_notes={_ids(started)[0]: "字" * 201}
        )
    with pytest.raises(InvalidInput, match="预审意见最多 500 个字，收到 501 个"):
        prereview.prereview_return(actor=staff["clerk"], prereview_id=started.pk, line_notes={}, note="字" * 501)
    with pytest.raises(InvalidInput, match="不在清单中"):
        prereview.prereview_return(actor=staff["clerk"], prereview_id=started.pk, line_notes={424242: "?"})
    started.refresh_from_db()
    assert started.status == PreReviewStatus.SUBMITTED and started.line_notes == {}


@pytest.mark.parametrize("role", ["reviewer", "leader", "enterprise", "agent"])
def test_only_clerks_return_or_take(started, users, case, role):
    _ready(started, users["enterprise"])
    with pytest.raises(PermissionDenied):
        prereview.prereview_return(actor=users[role], prereview_id=started.pk, line_notes={_ids(started)[0]: "x"})
    with pytest.raises(PermissionDenied):
        prereview.prereview_take(actor=users[role], prereview_id=started.pk, case_id=case.pk)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.SUBMITTED and not CaseFile.objects.exists()


def test_another_enterprise_cannot_touch_it(started, users, other_firm):
    _, stranger = other_firm
    _add(started, users["enterprise"], 0)
    held = PreReviewFile.objects.get()
    with pytest.raises(NotFound, match="不属于本企业"):
        _add(started, stranger, 1)
    with pytest.raises(NotFound):
        prereview.prereview_file_delete(actor=stranger, file_id=held.pk)
    with pytest.raises(NotFound):
        prereview.prereview_submit(actor=stranger, prereview_id=started.pk)
    with pytest.raises(NotFound):
        prereview.prereview_withdraw(actor=stranger, prereview_id=started.pk)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.DRAFT and PreReviewFile.objects.count() == 1


def test_take_only_into_the_enterprises_open_case_of_the_item(started, users, staff, zone, items, case, media):
    from tests.window.conftest import PERSON

    _ready(started, users["enterprise"])
    someone_else = services.case_receive(
        actor=staff["clerk"], zone_id=zone.pk, item_id=items["promised"].pk, applicant=PERSON, presented=[]
    )
    with pytest.raises(InvalidInput, match="不是“金昌示范新材料有限公司”办理"):
        prereview.prereview_take(actor=staff["clerk"], prereview_id=started.pk, case_id=someone_else.pk)
    services.case_withdraw(actor=staff["clerk"], case_id=case.pk, reason="申请人书面撤回")
    with pytest.raises(Conflict, match="已撤回"):
        prereview.prereview_take(actor=staff["clerk"], prereview_id=started.pk, case_id=case.pk)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.SUBMITTED and not CaseFile.objects.exists()


def test_caps_on_files(started, users, settings):
    settings.ONEZONE_PREREVIEW_FILES_PER_LINE = 1
    settings.ONEZONE_PREREVIEW_FILES_MAX = 2
    _add(started, users["enterprise"], 0)
    with pytest.raises(InvalidInput, match="每项材料最多上传 1 个文件"):
        _add(started, users["enterprise"], 0, "二.jpg", JPEG_BYTES)
    _add(started, users["enterprise"], 1)
    with pytest.raises(InvalidInput, match="一次预审最多上传 2 个文件"):
        _add(started, users["enterprise"], 2)
    assert PreReviewFile.objects.count() == 2


def test_a_file_of_the_wrong_kind_is_refused(started, users, media):
    with pytest.raises(InvalidInput, match="文件类型不符"):
        _add(started, users["enterprise"], 0, "申请书.pdf", b"<script>alert(1)</script>")
    assert not PreReviewFile.objects.exists()


def test_withdraw_from_draft_and_then_nothing_more(started, users):
    prereview.prereview_withdraw(actor=users["enterprise"], prereview_id=started.pk)
    started.refresh_from_db()
    assert started.status == PreReviewStatus.WITHDRAWN
    with pytest.raises(TransitionNotAllowed, match="不能“提交预审”"):
        prereview.prereview_submit(actor=users["enterprise"], prereview_id=started.pk)


def test_reads_pin_their_queries(started, users, zone, firm, django_assert_num_queries):
    _ready(started, users["enterprise"])
    with django_assert_num_queries(1):
        rows = prereview.prereviews_of_enterprise(zone_id=zone.pk, enterprise_id=firm.pk)
        assert [r.case for r in rows] == [None]
    with django_assert_num_queries(2):
        _, lines = prereview.prereview_of_enterprise(zone_id=zone.pk, enterprise_id=firm.pk, prereview_id=started.pk)
        assert [len(line.files) for line in lines] == [1, 1, 0]
    with django_assert_num_queries(3):
        detail = prereview.prereview_for_desk(zone_id=zone.pk, prereview_id=started.pk)
        assert detail.prereview.enterprise.name == firm.name and detail.open_cases == []
    with django_assert_num_queries(1):
        assert [p.enterprise.name for p in prereview.prereviews_for_desk(zone_id=zone.pk)] == [firm.name]
    with pytest.raises(NotFound):
        prereview.prereview_of_enterprise(zone_id=zone.pk, enterprise_id=firm.pk + 1, prereview_id=started.pk)
