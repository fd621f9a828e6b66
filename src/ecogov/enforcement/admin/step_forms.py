"""The forms of execution, coercive measures and decision changes (docs/enforcement.md §9–§11),
added to the case's steps (forms.CASE_STEPS: the admin's buttons and the API's steps), and which of these steps a
case offers now: the action bar shows only what the user may take (a leader's approvals to
leaders, a ruling only after an application …); the services check the same again."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from ecogov.core.roles import Role, has_role
from ecogov.core.steps import VIEW, Step, Steps
from ecogov.enforcement import services as s
from ecogov.enforcement.models import (
    ChangeBy,
    ChangeKind,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    ExecutionOutcome,
    MeasureKind,
    PaymentPlan,
    PlanKind,
    Ruling,
)
from ecogov.enforcement.services.daily_penalty import REFERRAL_KINDS
from ecogov.enforcement.workflow import ACTION_LABELS

TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}


def case_step(name: str, form, run) -> Step:
    """A case step (core.steps): its label the workflow's; the door asks only that the user
    sees the case, the service checks who may act (a handler, a leader's approval …)."""
    return Step(name, ACTION_LABELS.get(name, _("添加材料")), run, form=form, permission=VIEW)


def _date(label, required=False):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=None if required else _("留空为今天。"),
    )


class ScheduleField(forms.CharField):
    """One instalment a line: “2025-06-30 25000” (the service checks dates and sums)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("新的缴纳期限和金额"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("每行一期:日期 金额(元),如“2025-06-30 25000”;延期缴纳只填一行。"),
            **kwargs,
        )

    def clean(self, value):
        text = super().clean(value)
        rows = []
        for line in (text or "").replace(",", " ").replace(",", " ").splitlines():
            parts = line.split()
            if parts:
                rows.append(parts if len(parts) == 2 else (line, ""))
        return rows


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PlanKind.choices)
    applied_on = _date(_("申请日期"), required=True)
    application_reason = forms.CharField(label=_("申请理由"), **TEXT)
    approved = forms.BooleanField(label=_("批准"), required=False, initial=True)
    schedule = ScheduleField()
    opinion = forms.CharField(label=_("审批意见(不予批准时必填)"), required=False, **TEXT)
    decided_on = _date(_("审批日期"))


class DemandForm(forms.Form):
    served_on = _date(_("催告书送达日期"))


class CourtForm(forms.Form):
    court = forms.CharField(label=_("受理法院"), max_length=128)
    court_reference = forms.CharField(label=_("法院案号"), required=False, max_length=64)
    applied_on = _date(_("申请日期"))


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label=_("法院裁定"), choices=Ruling.choices)
    court_reference = forms.CharField(label=_("法院案号"), required=False, max_length=64)
    ruling_on = _date(_("裁定日期"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("执行结果"), choices=ExecutionOutcome.choices)
    recovered = forms.DecimalField(label=_("执行到位金额(元)"), required=False, min_value=0)
    note = forms.CharField(label=_("执行情况说明"), required=False, **TEXT)
    outcome_on = _date(_("日期"))


class LeaderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.staff.full_name}({obj.staff.organisation})"


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("措施"), choices=MeasureKind.choices)
    subject = forms.CharField(label=_("对象(设施、设备、物品或生产范围)"), **TEXT)
    approved_by = LeaderChoice(
        label=_("批准人(局负责人)"),
        required=False,
        queryset=User.objects.filter(is_active=True, groups__name=Role.LEADER).select_related(
            "staff__organisation"
        ),
    )
    emergency = forms.BooleanField(
        label=_("情况紧急当场实施"),
        required=False,
        help_text=_("仅限查封、扣押:不选批准人,24小时内向局负责人报告并补办批准。"),
    )
    days = forms.IntegerField(
        label=_("查封扣押期限(日)"), required=False, min_value=1, help_text=_("留空为30日。")
    )
    months = forms.IntegerField(
        label=_("限产停产期限(月)"), required=False, min_value=1, help_text=_("留空为3个月。")
    )
    started_on = _date(_("实施日期"))


class ApproveMeasureForm(forms.Form):
    approved = forms.BooleanField(label=_("批准"), required=False, initial=True)
    opinion = forms.CharField(label=_("意见(不予批准时必填,并立即解除)"), required=False, **TEXT)
    approved_on = _date(_("批准日期"))


class ExtendMeasureForm(forms.Form):
    extension = forms.IntegerField(
        label=_("延长(查封扣押:日;限产停产:月)"), min_value=0, help_text=_("只能延长一次。")
    )
    reason = forms.CharField(label=_("理由"), **TEXT)
    extended_on = _date(_("延长日期"))


class TestingForm(forms.Form):
    testing_from = _date(_("检测等开始日期"), required=True)
    testing_to = _date(_("检测等结束日期"), required=True)
    note = forms.CharField(label=_("说明"), required=False)


class ReleaseForm(forms.Form):
    note = forms.CharField(label=_("解除理由和物品返还情况"), **TEXT)
    released_on = _date(_("解除日期"))


class CorrectionForm(forms.Form):
    order_reference = forms.CharField(label=_("责令改正决定书文号"), required=False)
    order_served_on = _date(_("送达日期"))


class ReinspectForm(forms.Form):
    continuing = forms.BooleanField(label=_("违法排污行为仍在继续"), required=False)
    covert = forms.BooleanField(label=_("暗查"), required=False, initial=True)
    note = forms.CharField(label=_("复查情况"), required=False, **TEXT)
    reinspected_on = _date(_("复查日期"))


class ReferForm(forms.Form):
    kind = forms.ChoiceField(label=_("移送类别"), choices=list(REFERRAL_KINDS.items()))
    to = forms.CharField(label=_("接受移送的机关"), initial="公安机关")
    reason = forms.CharField(label=_("移送的事实和理由"), **TEXT)
    referred_on = _date(_("移送日期"))


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("结果"), choices=ChangeKind.choices)
    by = forms.ChoiceField(label=_("依据"), choices=ChangeBy.choices)
    ruling_reference = forms.CharField(label=_("复议决定书或判决书文号"), required=False)
    dispute = forms.IntegerField(
        label=_("关联复议应诉案件编号"),
        required=False,
        min_value=1,
        help_text=_("法规科“行政复议与应诉案件”中该案的编号。"),
    )
    fine_after = forms.DecimalField(label=_("变更后罚款(元)"), required=False, min_value=0)
    reason = forms.CharField(label=_("理由"), **TEXT)
    ruling_on = _date(_("决定(判决)日期"))


EXECUTION_STEPS = Steps(
    case_step("plan_payment", PlanForm, lambda a, c, d: s.case_plan_payment(actor=a, case=c, **d)),
    case_step(
        "serve_demand", DemandForm, lambda a, c, d: s.case_serve_demand(actor=a, case=c, **d)
    ),
    case_step("apply_court", CourtForm, lambda a, c, d: s.case_apply_court(actor=a, case=c, **d)),
    case_step(
        "record_ruling", RulingForm, lambda a, c, d: s.case_record_ruling(actor=a, case=c, **d)
    ),
    case_step(
        "record_outcome", OutcomeForm, lambda a, c, d: s.case_record_outcome(actor=a, case=c, **d)
    ),
    case_step(
        "take_measure", MeasureForm, lambda a, c, d: s.case_take_measure(actor=a, case=c, **d)
    ),
    case_step(
        "approve_measure",
        ApproveMeasureForm,
        lambda a, c, d: s.case_approve_measure(actor=a, case=c, **d),
    ),
    case_step(
        "extend_measure",
        ExtendMeasureForm,
        lambda a, c, d: s.case_extend_measure(actor=a, case=c, **d),
    ),
    case_step(
        "record_testing", TestingForm, lambda a, c, d: s.case_record_testing(actor=a, case=c, **d)
    ),
    case_step(
        "release_measure", ReleaseForm, lambda a, c, d: s.case_release_measure(actor=a, case=c, **d)
    ),
    case_step(
        "order_correction",
        CorrectionForm,
        lambda a, c, d: s.case_order_correction(actor=a, case=c, **d),
    ),
    case_step("reinspect", ReinspectForm, lambda a, c, d: s.case_reinspect(actor=a, case=c, **d)),
    case_step("refer", ReferForm, lambda a, c, d: s.case_refer(actor=a, case=c, **d)),
    case_step(
        "change_decision", ChangeForm, lambda a, c, d: s.case_change_decision(actor=a, case=c, **d)
    ),
)


def offered(user, case, steps: list[str]) -> list[str]:
    """The steps of `steps` this case offers the user now (the state allows them already)."""
    wanted = set(steps) & set(EXECUTION_STEPS)
    if not wanted:
        return steps
    owes = (case.fine or 0) + (case.confiscation or 0) > case.paid
    compulsory = CompulsoryExecution.objects.filter(case=case).first()
    active = list(CoerciveMeasure.objects.filter(case=case, released_on__isnull=True))
    pending_daily = DailyPenalty.objects.filter(case=case, reinspected_on__isnull=True).exists()
    leader = has_role(user, Role.LEADER)
    rules = {
        "plan_payment": leader
        and owes
        and not (compulsory and compulsory.applied_on)
        and not PaymentPlan.objects.filter(case=case, approved=True).exists(),
        "serve_demand": owes and compulsory is None,
        "apply_court": bool(compulsory) and compulsory.applied_on is None,
        "record_ruling": bool(compulsory and compulsory.applied_on) and not compulsory.ruling,
        "record_outcome": bool(compulsory)
        and compulsory.ruling == Ruling.GRANTED
        and not compulsory.outcome,
        "take_measure": True,
        "approve_measure": leader and any(m.awaiting_approval for m in active),
        "extend_measure": leader
        and any(m.extended_on is None and not m.awaiting_approval for m in active),
        "record_testing": any(m.kind == MeasureKind.SEIZURE for m in active),
        "release_measure": bool(active),
        "order_correction": bool(case.fine) and not pending_daily,
        "reinspect": pending_daily,
        "refer": True,
        "change_decision": True,
    }
    return [step for step in steps if rules.get(step, True)]
