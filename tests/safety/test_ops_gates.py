"""Gate records imported from the gate systems' exports: all or nothing, row by row, stays opened and closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.safety.models import GatePassage, VehicleStay
from onezone.safety.selectors import operations as sel
from onezone.safety.services.operations_gates import gate_passages_import, gate_passages_template
from tests.safety._ops import local, ops_fixture  # noqa: F401

HEADER = "卡口编号,方向,通行时间,车牌号,人员姓名,驾驶员,危险化学品,UN编号,数量（吨）,停车场"


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


GOOD = [
    "G1,入园,2026-12-07 08:00:00,甘C12345,,张三,液氨,1005,20,P1",
    "G1,入园,2026-12-07 09:00:00,甘C22222,,李四,液氯,1017,10,P1",
    "G2,入园,2026-12-07 09:30,,王五,,,,,",
    "G1,出园,2026-12-07 12:00:00,甘C22222,,李四,,,,",
    "G2,出园,2026-12-07 13:00:00,甘C99999,,,,,,",
]


def test_csv_import_opens_and_closes_stays_and_reports_what_it_did(ops):
    result = gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(*GOOD))
    assert (result.imported, result.entries, result.exits, result.skipped) == (5, 3, 2, 0)
    assert result.unmatched_exits == ["甘C99999"]
    assert result.summary == (
        "导入完成：新增通行记录 5 条（入园 3，出园 2）；1 辆车的出园没有对应的入园记录（甘C99999）。"
    )
    inside = VehicleStay.objects.get(exited_at__isnull=True)
    assert (inside.plate, inside.un_number, inside.parking_area, inside.entry_gate) == (
        "甘C12345",
        "1005",
        ops["area"],
        ops["gate"],
    )
    left = VehicleStay.objects.get(plate="甘C22222")
    assert left.exited_at == local(2026, 12, 7, 12)
    assert AuditEvent.objects.get(action="safety.gatepassage.import").changes["imported"] == 5
    again = gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(*GOOD))
    assert (again.imported, again.skipped) == (0, 5)
    assert GatePassage.objects.count() == 5


def test_gb18030_csv_is_read(ops):
    result = gate_passages_import(
        actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(GOOD[0], encoding="gb18030")
    )
    assert result.imported == 1


def test_a_file_with_errors_writes_nothing_and_lists_every_row(ops):
    rows = [
        GOOD[0],
        "G9,入园,2026-12-07 08:00:00,甘C12346,,,,,,",
        "G1,进出,2026-12-07 08:00:00,甘C12347,,,,,,",
        "G1,入园,昨天,甘C12348,,,,,,",
        "G1,入园,2026-12-07 08:10:00,ABC,,,,,,",
        "G1,入园,2026-12-07 08:20:00,甘C12349,,,,10X5,,",
        "G1,入园,2026-12-07 08:30:00,甘C12350,,,,,很多,",
        "G1,入园,2026-12-07 08:40:00,甘C12351,,,,,,P9",
        "G1,入园,2026-12-07 08:50:00,,,,,,,",
        GOOD[0],
    ]
    with pytest.raises(InvalidInput) as caught:
        gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(*rows))
    head, *lines = caught.value.message.splitlines()
    assert head == "导入文件共 10 行数据：9 行有误，1 行无误，发现 9 处错误，未导入任何记录。请改正后重新上传："
    assert lines == [
        "第3行“卡口编号”：“G9”不是本开发区登记的卡口，应为：G1、G2。",
        "第4行“方向”：应填写“入园”或“出园”。",
        "第5行“通行时间”：“昨天”不是有效的时间，应写成 YYYY-MM-DD HH:MM:SS，例如 2026-12-08 09:30:00。",
        "第6行“车牌号”：“ABC”不是有效的车牌号，例如 甘C12345。",
        "第7行“UN编号”：“10X5”不是有效的 UN 编号，应为 4 位数字，例如 1005。",
        "第8行“数量（吨）”：“很多”不是有效的吨数。",
        "第9行“停车场”：“P9”不是登记的危化品停车场。",
        "第10行“车牌号”：车辆请填写车牌号，人员请填写人员姓名。",
        "第11行“通行时间”：与第2行是同一次通行。",
    ]
    assert GatePassage.objects.count() == 0
    assert VehicleStay.objects.count() == 0


def test_an_entry_of_a_vehicle_already_inside_rolls_back_the_whole_file(ops):
    gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(GOOD[0]))
    with pytest.raises(InvalidInput, match="第3行：车辆 甘C12345 在 2026-12-07 08:00 入园后没有出园记录"):
        gate_passages_import(
            actor=ops["officer"],
            zone_id=ops["zone"].pk,
            content=_csv("G2,入园,2026-12-07 10:00:00,,赵六,,,,,", "G1,入园,2026-12-07 11:00:00,甘C12345,,,,,,"),
        )
    assert GatePassage.objects.count() == 1


def test_xlsx_template_imports_and_bad_files_are_refused(ops):
    result = gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=gate_passages_template())
    assert (result.imported, result.entries, result.exits) == (2, 1, 1)
    with pytest.raises(InvalidInput, match="二进制内容"):
        gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=b"\x00\x01binary")
    with pytest.raises(InvalidInput, match="表头缺少：方向、通行时间"):
        gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content="卡口编号\nG1\n".encode())
    with pytest.raises(InvalidInput, match="空的"):
        gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=b"")


def test_only_supervisors_import_and_nothing_changes(ops, users):
    before = AuditEvent.objects.count()
    for actor in (ops["user_a"], users["clerk"]):
        with pytest.raises(PermissionDenied):
            gate_passages_import(actor=actor, zone_id=ops["zone"].pk, content=_csv(*GOOD))
    assert GatePassage.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_hazmat_inside_overstay_and_parking_occupancy(ops, django_assert_num_queries):
    gate_passages_import(actor=ops["officer"], zone_id=ops["zone"].pk, content=_csv(*GOOD))
    now = local(2026, 12, 7, 17, 0)
    with django_assert_num_queries(1):
        rows = sel.hazmat_inside(zone_id=ops["zone"].pk, now=now)
        assert [
            (r.stay.plate, r.hours, r.overstay, r.stay.entry_gate.code, r.stay.parking_area.code) for r in rows
        ] == [("甘C12345", 9.0, True, "G1", "P1")]
    assert sel.hazmat_inside(zone_id=ops["zone"].pk, now=local(2026, 12, 7, 15, 0))[0].overstay is False
    with django_assert_num_queries(2):
        occupancy = sel.parking_occupancy(zone_id=ops["zone"].pk)
        assert [
            (o["area"].code, o["used"], o["capacity"], o["rate"], o["full"], o["area"].park.code) for o in occupancy
        ] == [("P1", 1, 2, 50, False, "hexipu")]
    assert timezone.localtime(rows[0].stay.entered_at) == local(2026, 12, 7, 8) and dt


@pytest.mark.django_db(transaction=True)
def test_the_gates_page_starts_a_job_that_the_worker_runs(ops):
    import io

    from django.test import Client

    from onezone.core.jobs import Job, JobState
    from tests.core.test_jobs import run_worker

    client = Client()
    client.force_login(ops["officer"])
    upload = io.BytesIO(_csv(*GOOD))
    upload.name = "卡口.csv"
    started = client.post("/desk/safety/gates/", {"file": upload})
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/desk/jobs/{job.pk}/"
    assert (job.kind, job.title, GatePassage.objects.count()) == (
        "safety.gates_import",
        "导入卡口通行记录：卡口.csv",
        0,
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.message.startswith("导入完成：新增通行记录 5 条") and GatePassage.objects.count() == 5
    bad = io.BytesIO(_csv(GOOD[0], "G9,入园,2026-12-07 08:00:00,甘C12346,,,,,,"))
    bad.name = "卡口.csv"
    client.post("/desk/safety/gates/", {"file": bad})
    run_worker()
    failed = Job.objects.latest("id")
    assert failed.state == JobState.FAILED and "第3行“卡口编号”：“G9”不是本开发区登记的卡口" in failed.error
    assert GatePassage.objects.count() == 5
