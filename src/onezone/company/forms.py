"""Input forms of the company's back-office pages. They parse input only; services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from onezone.company.models import Asset, ConstructionContract, Lease, Loan
from onezone.company.services import LEASABLE_KINDS
from onezone.enterprises.models import Enterprise
from onezone.org.models import AgendaItem
from onezone.zones.models import Park

_DATE = forms.DateInput(attrs={"type": "date"})


def _money(label: str, *, required: bool = True, minimum: str = "0.01") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=16, decimal_places=2, min_value=Decimal(minimum), required=required
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.meeting.held_on} {obj.meeting.title}：{obj.topic}"


def _decisions(zone_id: int, label: str = "决策议题（管委会会议审议通过）") -> DecisionChoiceField:
    return DecisionChoiceField(
        label=label,
        queryset=AgendaItem.objects.filter(zone_id=zone_id, approved=True)
        .select_related("meeting")
        .order_by("-meeting__held_on", "order"),
        required=False,
        help_text="超过决策限额的事项必须选择；其他事项可不选。",
    )


class ZoneForm(forms.Form):
    def __init__(self, *args, zone_id: int, **kwargs) -> None:
        self.zone_id = zone_id
        super().__init__(*args, **kwargs)


class AssetForm(ZoneForm):
    code = forms.CharField(label="资产编号", max_length=40)
    name = forms.CharField(label="资产名称", max_length=120)
    kind = forms.ChoiceField(label="资产类别", choices=Asset.Kind.choices)
    park = forms.ModelChoiceField(label="所在园区", queryset=Park.objects.none())
    location = forms.CharField(label="坐落位置", max_length=200, required=False)
    area_m2 = forms.DecimalField(label="面积（平方米）", max_digits=12, decimal_places=2, required=False, min_value=0)
    cost = _money("原值（元）")
    acquired_on = forms.DateField(label="取得日期", widget=_DATE)
    useful_life_months = forms.IntegerField(label="折旧（摊销）年限（月）", min_value=1, max_value=1200)
    residual_rate = forms.DecimalField(
        label="净残值率", max_digits=5, decimal_places=4, min_value=0, max_value=Decimal("0.5"), initial="0.05"
    )
    status = forms.ChoiceField(
        label="状态", choices=[(Asset.Status.IN_USE, "自用"), (Asset.Status.IDLE, "闲置")], initial="idle"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(zone_id=self.zone_id).order_by("code")


class DisposeForm(ZoneForm):
    disposed_on = forms.DateField(label="处置日期", widget=_DATE)
    proceeds = _money("处置收入（元）", minimum="0")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _decisions(self.zone_id)


class LeaseForm(ZoneForm):
    asset = forms.ModelChoiceField(label="租赁资产", queryset=Asset.objects.none())
    number = forms.CharField(label="合同编号", max_length=60)
    lessee = forms.ModelChoiceField(label="承租企业", queryset=Enterprise.objects.none())
    start = forms.DateField(label="租期开始", widget=_DATE)
    end = forms.DateField(label="租期结束", widget=_DATE)
    rent = _money("租金（元）")
    rent_unit = forms.ChoiceField(label="租金单位", choices=Lease.RentUnit.choices)
    deposit = _money("押金（元）", minimum="0", required=False)
    billing_cycle = forms.ChoiceField(label="收租周期", choices=Lease.BillingCycle.choices, initial="quarterly")
    signed_on = forms.DateField(label="签订日期", widget=_DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = (
            Asset.objects.filter(zone_id=self.zone_id, kind__in=LEASABLE_KINDS)
            .exclude(status=Asset.Status.DISPOSED)
            .select_related("park")
            .order_by("code")
        )
        self.fields["lessee"].queryset = Enterprise.objects.filter(zone_id=self.zone_id).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "租期结束日期不能早于开始日期。")
        return data


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="收款日期", widget=_DATE, initial=timezone.localdate)
    amount = _money("收款金额（元）")
    reference = forms.CharField(label="凭证号", max_length=60, required=False)


class GenerateBillsForm(forms.Form):
    through = forms.DateField(label="出账至（含该日开始的期间）", widget=_DATE, initial=timezone.localdate)


class TerminateLeaseForm(forms.Form):
    terminated_on = forms.DateField(label="终止日期", widget=_DATE, initial=timezone.localdate)


class LoanForm(ZoneForm):
    kind = forms.ChoiceField(label="类别", choices=Loan.Kind.choices)
    contract_number = forms.CharField(label="合同/债券编号", max_length=60)
    lender = forms.CharField(label="贷款人/债权人", max_length=120)
    principal = _money("本金（元）")
    annual_rate = forms.DecimalField(label="年利率（%）", max_digits=7, decimal_places=4, min_value=0, max_value=36)
    start = forms.DateField(label="放款（起息）日期", widget=_DATE)
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=600)
    method = forms.ChoiceField(label="还款方式", choices=Loan.Method.choices)
    payment_day = forms.IntegerField(label="每月还款日", min_value=1, max_value=31, initial=21)
    purpose = forms.CharField(label="用途", max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _decisions(self.zone_id)


class ProjectForm(ZoneForm):
    name = forms.CharField(label="项目名称", max_length=150)
    park = forms.ModelChoiceField(label="所在园区", queryset=Park.objects.none())
    budget = _money("批准预算（元）")
    start = forms.DateField(label="开工日期", widget=_DATE, required=False)
    planned_end = forms.DateField(label="计划竣工日期", widget=_DATE, required=False)
    description = forms.CharField(label="建设内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.filter(zone_id=self.zone_id).order_by("code")
        self.fields["decision"] = _decisions(self.zone_id, "立项决策议题")


class ContractForm(ZoneForm):
    number = forms.CharField(label="合同编号", max_length=60)
    contractor = forms.CharField(label="承包单位", max_length=120)
    amount = _money("合同金额（元）")
    signed_on = forms.DateField(label="签订日期", widget=_DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = _decisions(self.zone_id)


class ConstructionPaymentForm(ZoneForm):
    contract = forms.ModelChoiceField(label="施工合同", queryset=ConstructionContract.objects.none(), required=False)
    amount = _money("支付金额（元）")
    paid_on = forms.DateField(label="支付日期", widget=_DATE, initial=timezone.localdate)
    note = forms.CharField(label="摘要", max_length=200, required=False)

    def __init__(self, *args, project_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = ConstructionContract.objects.filter(project_id=project_id)
        self.fields["over_budget_decision"] = _decisions(self.zone_id, "超预算审批议题")


class ProgressForm(forms.Form):
    on = forms.DateField(label="日期", widget=_DATE, initial=timezone.localdate)
    percent = forms.IntegerField(label="形象进度（%）", min_value=0, max_value=100)
    note = forms.CharField(label="说明", max_length=200, required=False)


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)

    @staticmethod
    def default() -> dt.date:
        return timezone.localdate().replace(day=1)
