"""Custom back-office pages of personnel (HR only): workflow forms, the cycle board, the payroll sheet.

The pages parse input and call services; a domain error is shown beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from onezone.core.errors import DomainError, PermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.money import format_amount
from onezone.core.permissions import require
from onezone.org.models import Body, Person, Post
from onezone.personnel import formula
from onezone.personnel.models import (
    Appeal,
    Appraisal,
    AppraisalCycle,
    EmploymentContract,
    Grade,
    Indicator,
    PayrollRun,
    RaterKind,
)
from onezone.personnel.selectors import cycle_board, policy_of
from onezone.personnel.services import (
    HR_ROLES,
    appeal_decide,
    appeal_review,
    appeal_submit,
    contract_create,
    contract_renew,
    contract_review_clear,
    contract_terminate,
    cycle_close,
    cycle_open,
    indicator_inputs_record,
    payroll_run_approve,
    payroll_run_create,
    payroll_run_export,
    payroll_run_open,
    payroll_run_pay,
    payslip_item_add,
    ratings_record,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _hr_zone(request: HttpRequest) -> int:
    zone_id = current_zone_id(request)
    require(request.user, zone_id=zone_id, roles=HR_ROLES, action="人事薪酬管理")
    return zone_id


def hr_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            zone_id = _hr_zone(request)
        except PermissionDenied as exc:
            return TemplateResponse(
                request, "personnel/refused.html", _context(request, "无权访问", message=exc.message), status=403
            )
        return view(request, zone_id, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _form_page(
    request: HttpRequest,
    *,
    title: str,
    form: forms.Form,
    act: Callable[[dict[str, Any]], str],
    intro: str = "",
    back: str = "",
    submit: str = "提交",
) -> HttpResponse:
    """Show ``form``; when valid, ``act`` calls a service and returns where to go next."""
    if request.method == "POST" and form.is_valid():
        try:
            target = act(form.cleaned_data)
        except DomainError as exc:
            for name, message in exc.fields.items():
                if name in form.fields:
                    form.add_error(name, message)
            form.add_error(None, exc.message)
        else:
            return HttpResponseRedirect(target)
    return TemplateResponse(
        request,
        "personnel/form.html",
        _context(request, title, form=form, intro=intro, back=back, submit=submit),
        status=400 if request.method == "POST" else 200,
    )


def _changelist(model_name: str) -> str:
    return reverse(f"admin:personnel_{model_name}_changelist")


# Contracts -------------------------------------------------------------------------------------


class ContractForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    post = forms.ModelChoiceField(label="聘用岗位", queryset=Post.objects.none())
    number = forms.CharField(label="合同编号", max_length=40)
    term_type = forms.ChoiceField(label="期限类型", choices=EmploymentContract.TermType.choices)
    start = forms.DateField(label="起始日期", widget=DATE)
    end = forms.DateField(label="终止日期", widget=DATE, required=False)
    probation_months = forms.IntegerField(label="试用期（月）", min_value=0, max_value=6, initial=0)

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(zone_id=zone_id).order_by("name")
        self.fields["post"].queryset = Post.objects.filter(zone_id=zone_id).select_related("body")


@hr_only
def contract_new_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    form = ContractForm(request.POST or None, zone_id=zone_id)

    def act(data: dict[str, Any]) -> str:
        contract = contract_create(actor=request.user, **data)
        messages.success(request, f"已草拟合同“{contract.number}”，勾选后用“签订”使其生效。")
        return _changelist("employmentcontract")

    return _form_page(request, title="草拟聘用合同", form=form, act=act, back=_changelist("employmentcontract"))


class RenewForm(forms.Form):
    number = forms.CharField(label="新合同编号", max_length=40)
    term_type = forms.ChoiceField(label="期限类型", choices=EmploymentContract.TermType.choices)
    end = forms.DateField(label="新合同终止日期", widget=DATE, required=False)


@hr_only
def contract_renew_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    contract = get_object_or_404(EmploymentContract, pk=pk, zone_id=zone_id)
    form = RenewForm(request.POST or None, initial={"term_type": contract.term_type})

    def act(data: dict[str, Any]) -> str:
        renewal = contract_renew(actor=request.user, contract=contract, **data)
        messages.success(request, f"已续订，新合同“{renewal.number}”自 {renewal.start} 起履行。")
        return _changelist("employmentcontract")

    intro = (
        f"{contract.person.name}，{contract.post}，现合同 {contract.start} 至 {contract.end or '—'}。新合同自次日起。"
    )
    return _form_page(request, title=f"续订合同 {contract.number}", form=form, act=act, intro=intro)


class TerminateForm(forms.Form):
    on = forms.DateField(label="解除日期", widget=DATE)
    reason = forms.CharField(label="解除原因", widget=forms.Textarea(attrs={"rows": 3}))


@hr_only
def contract_terminate_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    contract = get_object_or_404(EmploymentContract, pk=pk, zone_id=zone_id)
    form = TerminateForm(request.POST or None)

    def act(data: dict[str, Any]) -> str:
        contract_terminate(actor=request.user, contract=contract, **data)
        messages.success(request, f"已解除合同“{contract.number}”。")
        return _changelist("employmentcontract")

    intro = f"{contract.person.name}，{contract.post}，合同 {contract.start} 至 {contract.end or '—'}。"
    return _form_page(request, title=f"解除合同 {contract.number}", form=form, act=act, intro=intro)


class NoteForm(forms.Form):
    note = forms.CharField(label="结论", widget=forms.Textarea(attrs={"rows": 3}))


@hr_only
def contract_review_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    contract = get_object_or_404(EmploymentContract, pk=pk, zone_id=zone_id)
    form = NoteForm(request.POST or None)

    def act(data: dict[str, Any]) -> str:
        contract_review_clear(actor=request.user, contract=contract, note=data["note"])
        messages.success(request, "已记录审查结论。")
        return _changelist("employmentcontract")

    intro = f"{contract.person.name}：{contract.review_reason}。请记录审查结论（续聘、调岗或解除另行办理）。"
    return _form_page(request, title=f"审查合同 {contract.number}", form=form, act=act, intro=intro)


# Cycles ----------------------------------------------------------------------------------------


class CycleForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    period = forms.ChoiceField(label="周期", choices=AppraisalCycle.Period.choices)
    start = forms.DateField(label="考核期起", widget=DATE)
    end = forms.DateField(label="考核期止", widget=DATE)
    final_formula = forms.CharField(
        label="总分公式",
        initial="0.2*self + 0.5*leader + 0.3*peer",
        help_text="变量：self（自评）、leader（领导评分）、peer（同事互评）；可用 + - * /、括号和 min、max、round。",
    )


@hr_only
def cycle_new_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    form = CycleForm(request.POST or None)

    def act(data: dict[str, Any]) -> str:
        cycle = cycle_open(actor=request.user, zone_id=zone_id, **data)
        messages.success(request, f"已发起“{cycle.name}”，考核对象 {cycle.appraisals.count()} 人。")
        return reverse("admin:personnel_cycle_board", args=[cycle.pk])

    return _form_page(request, title="发起考核", form=form, act=act, back=_changelist("appraisalcycle"))


@hr_only
def cycle_board_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    cycle = get_object_or_404(AppraisalCycle, pk=pk, zone_id=zone_id)
    board = cycle_board(cycle)
    return TemplateResponse(
        request,
        "personnel/cycle_board.html",
        _context(request, cycle.name, cycle=cycle, board=board, policy=policy_of(zone_id)),
    )


@require_POST
@hr_only
def cycle_close_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    cycle = get_object_or_404(AppraisalCycle, pk=pk, zone_id=zone_id)
    try:
        cycle_close(actor=request.user, cycle=cycle)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{cycle.name}”已完成并锁定。")
    return HttpResponseRedirect(reverse("admin:personnel_cycle_board", args=[pk]))


@hr_only
def appraisal_rate_view(request: HttpRequest, zone_id: int, appraisal_id: int) -> HttpResponse:
    appraisal = get_object_or_404(
        Appraisal.objects.select_related("person", "cycle", "scheme", "post__body"), pk=appraisal_id, zone_id=zone_id
    )
    board_url = reverse("admin:personnel_cycle_board", args=[appraisal.cycle_id])
    indicators = list(appraisal.scheme.indicators.order_by("order", "id"))
    existing = {(r.indicator_id, r.kind): r.score for r in appraisal.ratings.filter(rater__isnull=True)}
    inputs = {r.indicator_id: r.inputs for r in appraisal.results.all()}
    rows = []
    for indicator in indicators:
        if indicator.source == Indicator.Source.MANUAL:
            cells = [(f"score-{indicator.pk}-{k}", existing.get((indicator.pk, k), "")) for k in RaterKind.values]
            rows.append({"indicator": indicator, "cells": cells, "inputs": []})
        elif indicator.source == Indicator.Source.FORMULA:
            names = sorted(formula.names(indicator.formula))
            values = inputs.get(indicator.pk, {})
            rows.append(
                {
                    "indicator": indicator,
                    "cells": [],
                    "inputs": [(f"input-{indicator.pk}-{n}", n, values.get(n, "")) for n in names],
                }
            )
        else:
            rows.append({"indicator": indicator, "cells": [], "inputs": []})
    error = ""
    if request.method == "POST":
        scores = {}
        for indicator in indicators:
            if indicator.source == Indicator.Source.MANUAL:
                for kind in RaterKind.values:
                    raw = request.POST.get(f"score-{indicator.pk}-{kind}", "").strip()
                    scores[(indicator.pk, kind)] = raw or None
        try:
            ratings_record(actor=request.user, appraisal=appraisal, scores=scores)
            for indicator in indicators:
                if indicator.source == Indicator.Source.FORMULA:
                    given = {
                        n: request.POST.get(f"input-{indicator.pk}-{n}", "").strip()
                        for n in formula.names(indicator.formula)
                    }
                    given = {k: v for k, v in given.items() if v}
                    if given:
                        indicator_inputs_record(
                            actor=request.user, appraisal=appraisal, indicator=indicator, inputs=given
                        )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已保存{appraisal.person.name}的评分。")
            return HttpResponseRedirect(board_url)
    return TemplateResponse(
        request,
        "personnel/rate.html",
        _context(
            request,
            f"评分：{appraisal.person.name}",
            appraisal=appraisal,
            rows=rows,
            kinds=RaterKind.choices,
            error=error,
            back=board_url,
        ),
        status=400 if error else 200,
    )


# Appeals ---------------------------------------------------------------------------------------


class AppealForm(forms.Form):
    appraisal = forms.ModelChoiceField(label="考核结果", queryset=Appraisal.objects.none())
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appraisal"].queryset = Appraisal.objects.filter(
            zone_id=zone_id, cycle__status=AppraisalCycle.Status.CLOSED
        ).select_related("cycle", "person")
        self.fields["appraisal"].label_from_instance = lambda a: (
            f"{a.cycle.name} · {a.person.name} · {a.get_grade_display()}"
        )


@hr_only
def appeal_new_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    form = AppealForm(request.POST or None, zone_id=zone_id)

    def act(data: dict[str, Any]) -> str:
        appeal = appeal_submit(actor=request.user, appraisal=data["appraisal"], reason=data["reason"])
        messages.success(request, "已登记申诉。")
        return reverse("admin:personnel_appeal_handle", args=[appeal.pk])

    return _form_page(request, title="登记考核申诉", form=form, act=act, back=_changelist("appeal"))


class DecideForm(forms.Form):
    grade = forms.ChoiceField(label="决定等次", choices=Grade.choices)
    note = forms.CharField(label="处理决定", widget=forms.Textarea(attrs={"rows": 3}))


@hr_only
def appeal_handle_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    appeal = get_object_or_404(
        Appeal.objects.select_related("appraisal__person", "appraisal__cycle"), pk=pk, zone_id=zone_id
    )
    a = appeal.appraisal
    intro = (
        f"{a.cycle.name} · {a.person.name}：总分 {a.final_score}，现等次“{a.get_grade_display()}”。"
        f"申诉理由：{appeal.reason}"
    )
    here = reverse("admin:personnel_appeal_handle", args=[pk])
    if appeal.status == Appeal.Status.SUBMITTED:
        form = NoteForm(request.POST or None)
        form.fields["note"].label = "复核意见"

        def review(data: dict[str, Any]) -> str:
            appeal_review(actor=request.user, appeal=appeal, note=data["note"])
            messages.success(request, "已记录复核意见，请作出决定。")
            return here

        return _form_page(request, title="复核申诉", form=form, act=review, intro=intro, back=_changelist("appeal"))
    if appeal.status == Appeal.Status.REVIEWED:
        form = DecideForm(request.POST or None, initial={"grade": a.grade})

        def decide(data: dict[str, Any]) -> str:
            done = appeal_decide(actor=request.user, appeal=appeal, grade=data["grade"], note=data["note"])
            messages.success(request, f"申诉已处理：{done.get_status_display()}。")
            return _changelist("appeal")

        intro += f"；复核意见：{appeal.review_note}"
        return _form_page(request, title="决定申诉", form=form, act=decide, intro=intro, back=_changelist("appeal"))
    summary = f"{intro}；复核意见：{appeal.review_note}；决定：{appeal.decision_note}（{appeal.get_status_display()}）"
    return TemplateResponse(
        request,
        "personnel/form.html",
        _context(request, "申诉结果", form=None, intro=summary, back=_changelist("appeal")),
    )


# Payroll ---------------------------------------------------------------------------------------


class PayrollForm(forms.Form):
    body = forms.ModelChoiceField(label="机构", queryset=Body.objects.none())
    month = forms.DateField(
        label="工资月份", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"]
    )
    pool = forms.DecimalField(label="绩效工资总额（元）", min_value=0, decimal_places=2, max_digits=14)
    cycle = forms.ModelChoiceField(
        label="依据的考核周期",
        queryset=AppraisalCycle.objects.none(),
        required=False,
        help_text="留空则取该月之前最近完成的考核周期。",
    )

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(zone_id=zone_id)
        self.fields["cycle"].queryset = AppraisalCycle.objects.filter(
            zone_id=zone_id, status=AppraisalCycle.Status.CLOSED
        )


@hr_only
def payroll_new_view(request: HttpRequest, zone_id: int) -> HttpResponse:
    form = PayrollForm(request.POST or None, zone_id=zone_id)

    def act(data: dict[str, Any]) -> str:
        run = payroll_run_create(
            actor=request.user, body=data["body"], month=data["month"], pool=data["pool"], cycle=data["cycle"]
        )
        messages.success(request, f"已核算“{run}”。")
        return reverse("admin:personnel_payroll_run", args=[run.pk])

    return _form_page(request, title="核算月度工资", form=form, act=act, back=_changelist("payrollrun"), submit="核算")


def _payslip_item_post(request: HttpRequest, run: PayrollRun) -> None:
    """An allowance or deduction added to one payslip of the run, through ``payslip_item_add``."""
    chosen = request.POST.get("payslip", "")
    slip = run.payslips.select_related("person").filter(pk=chosen).first() if chosen.isdigit() else None
    if slip is None:
        messages.error(request, "请选择要调整的工资条。")
        return
    try:
        amount = Decimal(request.POST.get("amount", "").replace(",", "").strip())
    except InvalidOperation:
        messages.error(request, "金额应为数字（元），扣款填负数，例如 -200.00。")
        return
    try:
        item = payslip_item_add(actor=request.user, payslip=slip, name=request.POST.get("name", ""), amount=amount)
    except DomainError as exc:
        messages.error(request, exc.message)
        return
    messages.success(request, f"已为{slip.person.name}增加工资项目“{item.name}”{item.amount}元。")


@hr_only
def payroll_run_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    run = get_object_or_404(PayrollRun.objects.select_related("body", "cycle"), pk=pk, zone_id=zone_id)
    here = reverse("admin:personnel_payroll_run", args=[pk])
    if request.method == "POST":
        if request.POST.get("step") == "item":
            _payslip_item_post(request, run)
            return HttpResponseRedirect(here)
        step = {"approve": payroll_run_approve, "pay": payroll_run_pay}.get(request.POST.get("step", ""))
        if step is not None:
            try:
                run = step(actor=request.user, run=run)
                messages.success(request, f"“{run}”{run.get_status_display()}。")
            except DomainError as exc:
                messages.error(request, exc.message)
        return HttpResponseRedirect(here)
    slips = payroll_run_open(actor=request.user, run=run)
    totals = {
        "base": sum((s.base_pay for s in slips), Decimal("0.00")),
        "performance": sum((s.performance_pay for s in slips), Decimal("0.00")),
        "other": sum((s.other_total for s in slips), Decimal("0.00")),
        "total": sum((s.total for s in slips), Decimal("0.00")),
    }
    return TemplateResponse(
        request,
        "personnel/payroll_run.html",
        _context(
            request,
            str(run),
            run=run,
            slips=slips,
            totals=totals,
            pool_text=format_amount(run.pool),
            balanced=totals["performance"] == run.pool,
        ),
    )


@hr_only
def payroll_export_view(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    run = get_object_or_404(PayrollRun.objects.select_related("body"), pk=pk, zone_id=zone_id)
    content = payroll_run_export(actor=request.user, run=run)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="payroll-{run.body_id}-{run.month:%Y-%m}.xlsx"'
    return response
