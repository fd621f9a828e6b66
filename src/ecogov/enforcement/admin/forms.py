"""One small form per case step, and the service each one calls (the admin's buttons).

Forms only parse input; every rule is the service's, whose ValidationError is shown on the
form field it names.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from ecogov.core.models import Division, RegulatedEntity
from ecogov.core.roles import Role
from ecogov.core.scoping import scope_for
from ecogov.core.steps import Steps
from ecogov.enforcement import services as s
from ecogov.enforcement.models import (
    CaseSource,
    LegalBasis,
    PartyKind,
    PenaltyKind,
    ServiceMethod,
)

from .step_forms import EXECUTION_STEPS, case_step

DATE = {
    "required": False,
    "widget": forms.DateInput(attrs={"type": "date"}),
    "help_text": _("留空为今天。"),
}
TEXT = {"widget": forms.Textarea(attrs={"rows": 3})}


def _date(label):
    return forms.DateField(label=label, **DATE)


def _staff():
    return User.objects.filter(is_active=True, staff__isnull=False).select_related("staff")


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.staff.full_name}({obj.staff.organisation})"


class StaffMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        expiry = obj.staff.certificate_expiry
        return (
            f"{obj.staff.full_name}({obj.staff.organisation}"
            + (f",执法证至{expiry}" if expiry else ",无执法证")
            + ")"
        )


class Kinds(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("处罚种类"),
            choices=PenaltyKind.choices,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class OpenForm(forms.Form):
    entity = forms.ModelChoiceField(
        label=_("排污单位"),
        queryset=RegulatedEntity.objects.none(),
        required=False,
        help_text=_("当事人为自然人时留空并填写下方当事人信息。"),
    )
    division = forms.ModelChoiceField(
        label=_("行政区划"),
        queryset=Division.objects.none(),
        required=False,
        help_text=_("留空取排污单位所在区划。"),
    )
    source = forms.ChoiceField(label=_("案件来源"), choices=CaseSource.choices)
    inspection_ref = forms.CharField(label=_("来源检查记录"), required=False)
    title = forms.CharField(label=_("案由"), required=False)
    facts = forms.CharField(label=_("违法事实"), **TEXT)
    found_on = _date(_("发现线索日期"))
    opened_on = _date(_("立案日期"))
    officers = StaffMultipleChoice(label=_("执法人员"), queryset=_staff(), required=False)
    party_kind = forms.ChoiceField(label=_("当事人类别"), choices=PartyKind.choices, required=False)
    party_name = forms.CharField(label=_("当事人"), required=False)
    party_id_number = forms.CharField(label=_("统一社会信用代码或身份证号"), required=False)
    party_phone = forms.CharField(label=_("联系电话"), required=False)
    party_address = forms.CharField(label=_("地址"), required=False)
    open_now = forms.BooleanField(
        label=_("同时立案"),
        required=False,
        initial=True,
        help_text=_("不勾选则仅登记线索,核查后再立案。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        fit_people(self, user, None)
        self.fields["entity"].queryset = RegulatedEntity.objects.visible_to(user)
        scope = scope_for(user)
        self.fields["division"].queryset = (
            Division.objects.all()
            if scope.everything
            else Division.objects.filter(path__startswith=scope.division_path or "\0")
        )


def fit_people(form, user, case) -> None:
    """Offer only the people who may act in this case: certified officers of its territory,
    never the administrators (issue 10); the service checks the same again."""
    from django.utils import timezone

    from ecogov.enforcement.queries import enforcement_staff

    division = case.division if case is not None else None
    if "officers" in form.fields:
        form.fields["officers"].queryset = enforcement_staff(
            user, division=division, certified_on=timezone.localdate()
        )
    if "chair" in form.fields:
        form.fields["chair"].queryset = enforcement_staff(user, division=division)
    if "reviewer" in form.fields:
        form.fields["reviewer"].queryset = enforcement_staff(user, division=division).filter(
            groups__name=Role.LEGAL_REVIEWER
        )


def open_from_form(actor, case, data):
    party = {
        k: data[k]
        for k in ("party_kind", "party_name", "party_id_number", "party_phone", "party_address")
        if data.get(k)
    }
    args = {
        "actor": actor,
        "entity": data["entity"],
        "division": data["division"],
        "source": data["source"],
        "facts": data["facts"],
        "title": data["title"],
        "found_on": data["found_on"],
        "inspection_ref": data["inspection_ref"],
        "officers": list(data["officers"]),
        **party,
    }
    if data["open_now"]:
        return s.case_open(opened_on=data["opened_on"], **args)
    return s.case_register_lead(**args)


class DateForm(forms.Form):
    on = _date(_("日期"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), **TEXT)
    on = _date(_("日期"))


class OfficersForm(forms.Form):
    officers = StaffMultipleChoice(label=_("执法人员"), queryset=_staff())
    reason = forms.CharField(label=_("理由"), required=False)


class NotifyForm(forms.Form):
    legal_basis = forms.ModelChoiceField(
        label=_("处罚依据"), queryset=LegalBasis.objects.filter(is_active=True)
    )
    penalty_kinds = Kinds()
    fine = forms.DecimalField(label=_("拟罚款(元)"), required=False, min_value=0)
    confiscation = forms.DecimalField(label=_("拟没收(元)"), required=False, min_value=0)
    notified_on = _date(_("告知日期"))
    is_complex = forms.BooleanField(label=_("案情复杂或情节严重"), required=False)
    major_public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("内容摘要"), **TEXT)
    on = _date(_("日期"))


class HearingRequestForm(forms.Form):
    requested_on = _date(_("申请日期"))
    note = forms.CharField(label=_("备注"), required=False)


class ScheduleForm(forms.Form):
    chair = StaffChoice(label=_("听证主持人"), queryset=_staff())
    notice_on = _date(_("通知日期"))
    hearing_on = forms.DateField(
        label=_("听证日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewSubmitForm(forms.Form):
    reviewer = StaffChoice(
        label=_("法制审核人员"), queryset=_staff().filter(groups__name=Role.LEGAL_REVIEWER)
    )
    submitted_on = _date(_("提交日期"))


class ReviewForm(forms.Form):
    opinion = forms.CharField(label=_("审核意见"), required=False, **TEXT)
    reviewed_on = _date(_("审核日期"))


class DiscussForm(forms.Form):
    conclusion = forms.CharField(label=_("讨论结论"), **TEXT)
    participants = forms.CharField(label=_("参加人员"), required=False)
    discussed_on = _date(_("讨论日期"))


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("理由"), **TEXT)
    collective_minutes = forms.CharField(
        label=_("集体讨论纪要(第二次延长必填)"), required=False, **TEXT
    )


class DecideForm(forms.Form):
    legal_basis = forms.ModelChoiceField(
        label=_("处罚依据"),
        required=False,
        queryset=LegalBasis.objects.filter(is_active=True),
        help_text=_("留空沿用告知时的依据。"),
    )
    penalty_kinds = Kinds()
    fine = forms.DecimalField(label=_("罚款(元)"), required=False, min_value=0)
    confiscation = forms.DecimalField(label=_("没收(元)"), required=False, min_value=0)
    decided_on = _date(_("决定日期"))
    decision_text = forms.CharField(label=_("决定内容"), required=False, **TEXT)
    public_impact = forms.BooleanField(
        label=_("具有一定社会影响(须公开)"), required=False, initial=True
    )


class TransferForm(ReasonForm):
    to = forms.CharField(label=_("移送机关"), initial="公安机关")


class ServeForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices)
    served_on = _date(_("送达日期"))
    notice_issued_on = forms.DateField(
        label=_("公告日期(公告送达)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent = forms.BooleanField(label=_("当事人已同意电子送达"), required=False)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("金额(元)"), min_value=0)
    paid_on = _date(_("缴款日期"))
    receipt_number = forms.CharField(label=_("票据号"), required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, **TEXT)
    closed_on = _date(_("结案日期"))


class EditForm(forms.Form):
    title = forms.CharField(label=_("案由"))
    facts = forms.CharField(label=_("违法事实"), **TEXT)
    party_name = forms.CharField(label=_("当事人"))
    party_id_number = forms.CharField(label=_("统一社会信用代码或身份证号"), required=False)
    party_phone = forms.CharField(label=_("联系电话"), required=False)
    party_address = forms.CharField(label=_("地址"), required=False)
    reason = forms.CharField(label=_("理由"), required=False, **TEXT)


class AttachForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), required=False)
    reason = forms.CharField(label=_("理由(已办结案件补充材料时必填)"), required=False)


def _edit(service):
    def run(actor, case, data):
        fields = ["title", "facts", "party_name", "party_id_number", "party_phone", "party_address"]
        return service(
            actor=actor, case=case, data={k: data[k] for k in fields}, reason=data["reason"]
        )

    return run


def initial_for(case, step: str, form_class) -> dict:
    """What a step's form starts from: the case's own values (the decision: the notice's)."""
    initial = {
        name: getattr(case, name)
        for name in form_class.base_fields
        if name in {f.name for f in case._meta.fields}
    }
    if step == "decide":
        initial.update(
            penalty_kinds=case.notified_kinds,
            fine=case.notified_fine,
            confiscation=case.notified_confiscation,
            public_impact=True,
        )
    return {k: v for k, v in initial.items() if v not in (None, "")}


# the case's steps (core.steps): name, form, runner(actor, case, cleaned_data) -> the service's result
MAIN_STEPS = Steps(
    case_step(
        "open", DateForm, lambda a, c, d: s.case_open_lead(actor=a, case=c, opened_on=d["on"])
    ),
    case_step(
        "not_open",
        ReasonForm,
        lambda a, c, d: s.case_not_open(actor=a, case=c, reason=d["reason"], on=d["on"]),
    ),
    case_step(
        "investigate", DateForm, lambda a, c, d: s.case_investigate(actor=a, case=c, on=d["on"])
    ),
    case_step(
        "set_officers",
        OfficersForm,
        lambda a, c, d: s.case_set_officers(
            actor=a, case=c, officers=list(d["officers"]), reason=d["reason"]
        ),
    ),
    case_step("notify", NotifyForm, lambda a, c, d: s.case_notify(actor=a, case=c, **d)),
    case_step(
        "record_statement",
        SummaryForm,
        lambda a, c, d: s.case_record_statement(
            actor=a, case=c, summary=d["summary"], received_on=d["on"]
        ),
    ),
    case_step(
        "record_waiver",
        SummaryForm,
        lambda a, c, d: s.case_record_waiver(actor=a, case=c, note=d["summary"], waived_on=d["on"]),
    ),
    case_step(
        "request_hearing",
        HearingRequestForm,
        lambda a, c, d: s.case_request_hearing(actor=a, case=c, **d),
    ),
    case_step(
        "schedule_hearing",
        ScheduleForm,
        lambda a, c, d: s.case_schedule_hearing(actor=a, case=c, **d),
    ),
    case_step(
        "hold_hearing",
        SummaryForm,
        lambda a, c, d: s.case_hold_hearing(actor=a, case=c, summary=d["summary"], held_on=d["on"]),
    ),
    case_step(
        "submit_review",
        ReviewSubmitForm,
        lambda a, c, d: s.case_submit_review(actor=a, case=c, **d),
    ),
    case_step(
        "extend_review",
        ReasonForm,
        lambda a, c, d: s.case_extend_review(actor=a, case=c, reason=d["reason"]),
    ),
    case_step(
        "review_pass",
        ReviewForm,
        lambda a, c, d: s.case_legal_review(actor=a, case=c, passed=True, **d),
    ),
    case_step(
        "review_fail",
        ReviewForm,
        lambda a, c, d: s.case_legal_review(actor=a, case=c, passed=False, **d),
    ),
    case_step("discuss", DiscussForm, lambda a, c, d: s.case_discuss(actor=a, case=c, **d)),
    case_step(
        "extend_decision", ExtendForm, lambda a, c, d: s.case_extend_decision(actor=a, case=c, **d)
    ),
    case_step("decide", DecideForm, lambda a, c, d: s.case_decide(actor=a, case=c, **d)),
    case_step(
        "decide_no_penalty",
        ReasonForm,
        lambda a, c, d: s.case_decide_no_penalty(
            actor=a, case=c, reason=d["reason"], decided_on=d["on"]
        ),
    ),
    case_step("transfer", TransferForm, lambda a, c, d: s.case_transfer(actor=a, case=c, **d)),
    case_step("withdraw", ReasonForm, lambda a, c, d: s.case_withdraw(actor=a, case=c, **d)),
    case_step("serve", ServeForm, lambda a, c, d: s.case_serve(actor=a, case=c, **d)),
    case_step(
        "disclose", DateForm, lambda a, c, d: s.case_disclose(actor=a, case=c, published_on=d["on"])
    ),
    case_step("execute", DateForm, lambda a, c, d: s.case_execute(actor=a, case=c, on=d["on"])),
    case_step(
        "record_payment", PaymentForm, lambda a, c, d: s.case_record_payment(actor=a, case=c, **d)
    ),
    case_step("close", CloseForm, lambda a, c, d: s.case_close(actor=a, case=c, **d)),
    case_step("update", EditForm, _edit(s.case_update)),
    case_step("amend", EditForm, _edit(s.case_amend)),
    case_step(
        "attach",
        AttachForm,
        lambda a, c, d: s.case_attach(
            actor=a,
            case=c,
            uploaded_file=d["file"],
            description=d["description"],
            reason=d["reason"],
        ),
    ),
)

# with execution, coercive measures and decision changes (admin/step_forms.py)
CASE_STEPS = MAIN_STEPS + EXECUTION_STEPS
