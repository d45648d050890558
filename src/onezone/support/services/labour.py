"""找人才 / 找员工: jobs an enterprise posts and the applications people send to them.

A job is posted by the enterprise in the portal (or by the desk for it), listed publicly while it is
published and not past its closing date, and closed or reopened by the same people. Anyone may apply
with a name, a mobile number and a short note; the enterprise sees the number masked until it opens
the application, and every opening is audited as a full view of personal data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.codes import CodeError, validate_mobile
from onezone.core.errors import Conflict, InvalidInput, RateLimited, TransitionNotAllowed
from onezone.core.limits import require_lengths
from onezone.core.permissions import roles_in
from onezone.core.roles import Role
from onezone.support.models.labour import ApplicationStatus, JobApplication, JobPosting, JobStatus
from onezone.support.services.labour_authority import may_act_at_desk, require_desk, require_member

TITLE_MAX = 60
PLACE_MAX = 100
REQUIREMENTS_MAX = 2000
NAME_MAX = 30
NOTE_MAX = 300
PLACES_MAX = 999
PAY_MAX = Decimal("1000000")  # a month's pay in yuan; beyond it the figure is a typing error
VALID_DAYS_MAX = 366
APPLICATIONS_PER_HOUR = 5  # per client address, unless ONEZONE_SUPPORT_APPLICATIONS_PER_HOUR says otherwise

# A job's lifecycle: published ⇄ closed.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.PUBLISHED: frozenset({JobStatus.CLOSED}),
    JobStatus.CLOSED: frozenset({JobStatus.PUBLISHED}),
}


def _required(value: str | None, label: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    return text


def _pay(value: Any, label: str, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}应为数字（元/月）。", fields={field: "请填写数字，单位元/月。"}) from exc
    if not amount.is_finite() or amount <= 0 or amount > PAY_MAX:
        raise InvalidInput(
            f"{label}应在 0 到 {PAY_MAX:,} 元/月之间，收到 {value}。", fields={field: "请填写合理的月薪（元）。"}
        )
    return amount.quantize(Decimal("0.01"))


def _authorise(actor: Any, enterprise: Any, action: str) -> None:
    """The enterprise's own users, or the desk, act on the enterprise's jobs."""
    if Role.ENTERPRISE in roles_in(actor, enterprise.zone_id) and not may_act_at_desk(actor, enterprise.zone_id):
        require_member(actor, enterprise, action=action)
    else:
        require_desk(actor, zone_id=enterprise.zone_id, action=action)


def _job_fields(
    *, title: str, places: Any, pay_min: Any, pay_max: Any, requirements: str, place: str, valid_until: Any
) -> dict[str, Any]:
    require_lengths(
        title=("岗位名称", title, TITLE_MAX),
        place=("工作地点", place, PLACE_MAX),
        requirements=("任职要求", requirements, REQUIREMENTS_MAX),
    )
    try:
        count = int(places)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("招聘人数应为整数。", fields={"places": "请填写整数。"}) from exc
    if not 1 <= count <= PLACES_MAX:
        raise InvalidInput(
            f"招聘人数应在 1 到 {PLACES_MAX} 人之间，收到 {count}。", fields={"places": f"1–{PLACES_MAX} 人。"}
        )
    low, high = _pay(pay_min, "月薪下限", "pay_min"), _pay(pay_max, "月薪上限", "pay_max")
    if low > high:
        raise InvalidInput("月薪下限不能高于上限，请检查后再提交。", fields={"pay_min": "不能高于上限。"})
    if not isinstance(valid_until, dt.date):
        raise InvalidInput("请填写有效期（日期）。", fields={"valid_until": "请填写日期。"})
    today = timezone.localdate()
    if valid_until < today:
        raise InvalidInput("有效期不能早于今天。", fields={"valid_until": "不能早于今天。"})
    if (valid_until - today).days > VALID_DAYS_MAX:
        latest = today + dt.timedelta(days=VALID_DAYS_MAX)
        raise InvalidInput(
            f"有效期最长 {VALID_DAYS_MAX} 天（至 {latest:%Y-%m-%d}），到期后可重新发布。",
            fields={"valid_until": f"最长 {VALID_DAYS_MAX} 天。"},
        )
    return {
        "title": _required(title, "岗位名称", "title"),
        "places": count,
        "pay_min": low,
        "pay_max": high,
        "requirements": _required(requirements, "任职要求", "requirements"),
        "place": _required(place, "工作地点", "place"),
        "valid_until": valid_until,
    }


def job_post(
    *,
    actor: Any,
    enterprise: Any,
    title: str,
    places: int,
    pay_min: Decimal | str,
    pay_max: Decimal | str,
    requirements: str,
    place: str,
    valid_until: dt.date,
) -> JobPosting:
    """Publish a job of ``enterprise``; it is listed publicly until ``valid_until``."""
    _authorise(actor, enterprise, "发布招聘岗位")
    fields = _job_fields(
        title=title,
        places=places,
        pay_min=pay_min,
        pay_max=pay_max,
        requirements=requirements,
        place=place,
        valid_until=valid_until,
    )
    with transaction.atomic():
        job = JobPosting.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            posted_by=actor,
            published_on=timezone.localdate(),
            **fields,
        )
        audit_record(actor=actor, action="support.job.post", obj=job, changes={k: str(v) for k, v in fields.items()})
    return job


def job_update(
    *,
    actor: Any,
    job: JobPosting,
    title: str,
    places: int,
    pay_min: Decimal | str,
    pay_max: Decimal | str,
    requirements: str,
    place: str,
    valid_until: dt.date,
) -> JobPosting:
    """Change a job's terms."""
    _authorise(actor, job.enterprise, "修改招聘岗位")
    fields = _job_fields(
        title=title,
        places=places,
        pay_min=pay_min,
        pay_max=pay_max,
        requirements=requirements,
        place=place,
        valid_until=valid_until,
    )
    with transaction.atomic():
        current = JobPosting.objects.select_for_update().get(pk=job.pk)
        changes = {k: [str(getattr(current, k)), str(v)] for k, v in fields.items() if getattr(current, k) != v}
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        audit_record(actor=actor, action="support.job.update", obj=current, changes=changes)
    return current


def job_transition(*, actor: Any, job: JobPosting, to: str) -> JobPosting:
    """Close a published job or publish a closed one again (the one transition function of a job)."""
    label = "结束招聘" if to == JobStatus.CLOSED else "重新发布岗位"
    _authorise(actor, job.enterprise, label)
    with transaction.atomic():
        current = JobPosting.objects.select_for_update().get(pk=job.pk)
        if to not in JOB_TRANSITIONS.get(current.status, frozenset()):
            raise TransitionNotAllowed(
                f"岗位当前为“{current.get_status_display()}”，不能{label}。请刷新页面查看最新状态。"
            )
        if to == JobStatus.PUBLISHED and current.valid_until < timezone.localdate():
            raise InvalidInput(
                "岗位有效期已过，请先把有效期改到今天以后再重新发布。", fields={"valid_until": "已过期。"}
            )
        before = current.status
        current.status = to
        if to == JobStatus.PUBLISHED:
            current.published_on = timezone.localdate()
        current.save(update_fields=["status", "published_on", "updated_at"])
        audit_record(actor=actor, action="support.job.transition", obj=current, changes={"status": [before, to]})
    return current


def _applications_per_hour() -> int:
    return int(getattr(settings, "ONEZONE_SUPPORT_APPLICATIONS_PER_HOUR", APPLICATIONS_PER_HOUR))


def application_rate_check(*, client: str) -> None:
    """At most a few applications an hour from one client address (the public form is open to all)."""
    limit = _applications_per_hour()
    key = f"onezone:support:apply:{client}:{timezone.now():%Y%m%d%H}"
    if cache.add(key, 1, timeout=3700):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3700)
            count = 1
    if count > limit:
        raise RateLimited(f"投递过于频繁（每小时最多 {limit} 份），请一小时后再试。")


def job_apply(*, actor: Any, job: JobPosting, name: str, phone: str, note: str = "") -> JobApplication:
    """A person applies to a published, current job. One application per job and mobile number."""
    require_lengths(name=("姓名", name, NAME_MAX), note=("自我介绍", note, NOTE_MAX))
    person = _required(name, "姓名", "name")
    try:
        mobile = validate_mobile(phone or "")
    except CodeError as exc:
        raise InvalidInput(exc.message, fields={"phone": exc.message}) from exc
    with transaction.atomic():
        current = JobPosting.objects.select_for_update().get(pk=job.pk)
        if current.status != JobStatus.PUBLISHED or current.valid_until < timezone.localdate():
            raise TransitionNotAllowed("该岗位已结束招聘，不能再投递。请查看其他在招岗位。")
        if JobApplication.objects.filter(job=current, phone=mobile).exists():
            raise Conflict("该手机号已投递过这个岗位，企业会尽快联系您，无需重复投递。", fields={"phone": "已投递过。"})
        application = JobApplication.objects.create(
            zone_id=current.zone_id,
            job=current,
            name=person,
            phone=mobile,
            note=(note or "").strip(),
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=actor if getattr(actor, "is_authenticated", False) else "public",
            action="support.application.submit",
            obj=application,
            changes={"job": current.pk},
        )
    return application


def application_open(*, actor: Any, application: JobApplication) -> JobApplication:
    """The enterprise opens an application: its full mobile number is shown, and the view is audited."""
    job = application.job
    require_member(actor, job.enterprise, action="查看求职者联系方式")
    with transaction.atomic():
        current = JobApplication.objects.select_for_update().get(pk=application.pk)
        if current.status == ApplicationStatus.NEW:
            current.status = ApplicationStatus.OPENED
            current.opened_at = timezone.now()
            current.opened_by = actor
            current.save(update_fields=["status", "opened_at", "opened_by", "updated_at"])
        audit_record(
            actor=actor,
            action="support.application.reveal",
            obj=current,
            changes={"fields": ["phone"], "job": job.pk},
        )
    return current
