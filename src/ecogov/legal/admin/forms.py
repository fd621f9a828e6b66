"""One small form per step, and the service each one calls (the admin's buttons and the API's
steps). Forms only parse input; every rule is the service's, whose ValidationError is shown
on the field it names."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from ecogov.core.roles import Role
from ecogov.core.steps import Step, Steps
from ecogov.legal import services as s
from ecogov.legal.models import (
    MilestoneKind,
    NormativeDocument,
    Outcome,
    ReviewKind,
    Theme,
    Verdict,
)
from ecogov.legal.workflow import ACTION_LABELS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def date_field(label, *, required=False, help_text=None):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=help_text
        if help_text is not None
        else (_("留空为今天。") if not required else ""),
    )


def text_field(label, *, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.staff.full_name}({obj.staff.organisation})"


def legal_reviewers():
    return User.objects.filter(
        is_active=True, staff__isnull=False, groups__name=Role.LEGAL_REVIEWER
    ).select_related("staff")


class StepForm(forms.Form):
    """A step's form knows its record and the acting user (for choices within the scope)."""

    def __init__(self, *args, record=None, user=None, **kwargs):
        self.record, self.user = record, user
        super().__init__(*args, **kwargs)


class DateStep(StepForm):
    on = date_field(_("日期"))


class ReasonStep(StepForm):
    reason = text_field(_("理由"))
    on = date_field(_("日期"))


# --- normative documents --------------------------------------------------------------------------
class DocumentEditForm(StepForm):
    title = forms.CharField(label=_("文件名称"), max_length=200)
    summary = text_field(_("主要内容"), required=False)
    is_trial = forms.BooleanField(label=_("暂行或试行"), required=False)
    affects_public = forms.BooleanField(label=_("涉及群众切身利益(须公开征求意见)"), required=False)
    affects_market = forms.BooleanField(
        label=_("涉及经营者经济活动(须公平竞争审查)"), required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("主题"),
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("修改说明"), required=False)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, record=record, **kwargs)
        if record is not None and not self.is_bound:
            for name in ("title", "summary", "is_trial", "affects_public", "affects_market"):
                self.fields[name].initial = getattr(record, name)
            self.fields["themes"].initial = list(record.themes.all())


def _update_document(actor, document, data):
    fields = ["title", "summary", "is_trial", "affects_public", "affects_market", "themes"]
    return s.document_update(
        actor=actor, document=document, data={k: data[k] for k in fields}, reason=data["reason"]
    )


class ConsultationStartForm(StepForm):
    started_on = date_field(_("开始日期"))
    channel = forms.CharField(label=_("征求意见途径"), initial="示例市人民政府门户网站")


class ConsultationCloseForm(StepForm):
    ended_on = date_field(_("结束日期"))
    opinions = forms.IntegerField(label=_("收到意见(条)"), min_value=0, initial=0)
    adopted = text_field(_("意见采纳情况"), required=False)
    exception_reason = text_field(_("例外理由(征求意见少于规定天数时必填)"), required=False)


class ReviewSubmitForm(StepForm):
    reviewer = StaffChoice(
        label=_("法制审核人员"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("可留空,由法规科分派。"),
    )
    submitted_on = date_field(_("提交日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = legal_reviewers()


class OtherReviewForm(ReviewSubmitForm):
    kind = forms.ModelChoiceField(label=_("审查种类"), queryset=ReviewKind.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].label = _("审查人")
        self.fields["kind"].queryset = ReviewKind.objects.filter(is_active=True).exclude(
            code=ReviewKind.LEGALITY
        )


class DeliberateForm(StepForm):
    meeting = forms.CharField(label=_("审议会议"), initial="局党组会")
    conclusion = text_field(_("审议结论"))
    deliberated_on = date_field(_("审议日期"))


class RegisterForm(StepForm):
    registered_on = date_field(_("登记日期"), help_text=_("留空为今天。文号按登记年度顺序编定。"))


class IssueForm(StepForm):
    issued_on = date_field(_("印发日期"))
    effective_from = date_field(_("施行日期"), help_text=_("留空为印发日期。"))
    valid_until = date_field(
        _("有效期至"), help_text=_("留空按法制工作参数计算(一般5年,暂行、试行2年)。")
    )


class PublishForm(StepForm):
    published_on = date_field(_("公开日期"))
    channel = forms.CharField(label=_("公开途径"), initial="示例市人民政府门户网站")


class FileForm(StepForm):
    filed_on = date_field(_("报送备案日期"))
    authority = forms.CharField(
        label=_("备案机关"), required=False, help_text=_("留空为法制工作参数中的备案机关。")
    )
    reference = forms.CharField(label=_("备案登记号"), required=False)


class EvaluateForm(StepForm):
    conclusion = text_field(_("评估结论"))
    evaluated_on = date_field(_("评估日期"))
    extend_until = date_field(_("续期至"), help_text=_("评估后继续施行的,填写新的有效期。"))


class AmendForm(ReasonStep):
    replaced_by = forms.ModelChoiceField(
        label=_("替代文件"), required=False, queryset=NormativeDocument.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            NormativeDocument.objects.visible_to(self.user)
            .exclude(pk=getattr(self.record, "pk", None))
            .exclude(number=None)
        )


DOCUMENT_STEPS = Steps(
    Step("update", ACTION_LABELS["update"], _update_document, form=DocumentEditForm),
    Step(
        "start_consultation",
        ACTION_LABELS["start_consultation"],
        lambda a, d, c: s.document_start_consultation(actor=a, document=d, **c),
        form=ConsultationStartForm,
    ),
    Step(
        "close_consultation",
        ACTION_LABELS["close_consultation"],
        lambda a, d, c: s.document_close_consultation(actor=a, document=d, **c),
        form=ConsultationCloseForm,
    ),
    Step(
        "waive_consultation",
        ACTION_LABELS["waive_consultation"],
        lambda a, d, c: s.document_waive_consultation(actor=a, document=d, reason=c["reason"]),
        form=ReasonStep,
    ),
    Step(
        "submit_review",
        ACTION_LABELS["submit_review"],
        lambda a, d, c: s.document_submit_review(actor=a, document=d, **c),
        form=ReviewSubmitForm,
    ),
    Step(
        "submit_other_review",
        ACTION_LABELS["submit_other_review"],
        lambda a, d, c: s.review_submit(actor=a, subject=d, **c),
        form=OtherReviewForm,
    ),
    Step(
        "deliberate",
        ACTION_LABELS["deliberate"],
        lambda a, d, c: s.document_deliberate(actor=a, document=d, **c),
        form=DeliberateForm,
    ),
    Step(
        "register",
        ACTION_LABELS["register"],
        lambda a, d, c: s.document_register(actor=a, document=d, **c),
        form=RegisterForm,
    ),
    Step(
        "issue",
        ACTION_LABELS["issue"],
        lambda a, d, c: s.document_issue(actor=a, document=d, **c),
        form=IssueForm,
    ),
    Step(
        "publish",
        ACTION_LABELS["publish"],
        lambda a, d, c: s.document_publish(actor=a, document=d, **c),
        form=PublishForm,
    ),
    Step(
        "file",
        ACTION_LABELS["file"],
        lambda a, d, c: s.document_file(actor=a, document=d, **c),
        form=FileForm,
    ),
    Step(
        "evaluate",
        ACTION_LABELS["evaluate"],
        lambda a, d, c: s.document_evaluate(actor=a, document=d, **c),
        form=EvaluateForm,
    ),
    Step(
        "amend",
        ACTION_LABELS["amend"],
        lambda a, d, c: s.document_amend(actor=a, document=d, **c),
        form=AmendForm,
    ),
    Step(
        "repeal",
        ACTION_LABELS["repeal"],
        lambda a, d, c: s.document_repeal(actor=a, document=d, **c),
        form=ReasonStep,
    ),
    Step(
        "expire",
        ACTION_LABELS["expire"],
        lambda a, d, c: s.document_expire(actor=a, document=d, **c),
        form=ReasonStep,
    ),
    Step(
        "abandon",
        ACTION_LABELS["abandon"],
        lambda a, d, c: s.document_abandon(actor=a, document=d, **c),
        form=ReasonStep,
    ),
)


# --- reviews and measures ---------------------------------------------------------------------
class ReviewRecordForm(StepForm):
    outcome = forms.ChoiceField(label=_("审查结论"), choices=())
    opinion = text_field(_("审查意见"), required=False)
    issues_found = text_field(_("发现的问题"), required=False)
    exception_ground = text_field(_("适用例外的依据(结论为“适用例外规定”时必填)"), required=False)
    reviewed_on = date_field(_("审查日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = getattr(self.record, "kind", None)
        self.fields["outcome"].choices = [
            (o.value, o.label) for o in (kind.outcomes() if kind is not None else [])
        ]
        if kind is not None and kind.outcome_set != "competition":
            del self.fields["exception_ground"]


class ResolveForm(StepForm):
    resolution = text_field(_("整改情况"))
    resolved_on = date_field(_("整改日期"))


REVIEW_STEPS = Steps(
    Step(
        "record",
        _("记录审查结论"),
        lambda a, r, c: s.review_record(actor=a, review=r, **c),
        form=ReviewRecordForm,
    ),
    Step(
        "resolve",
        _("记录问题整改"),
        lambda a, r, c: s.review_resolve(actor=a, review=r, **c),
        form=ResolveForm,
    ),
)


class MeasureIssueForm(StepForm):
    issued_on = date_field(_("出台日期"))
    reference = forms.CharField(label=_("文号"), required=False)


MEASURE_STEPS = Steps(
    Step(
        "submit_review",
        _("提交审查(公平竞争审查等)"),
        lambda a, m, c: s.review_submit(actor=a, subject=m, **c),
        form=OtherReviewForm,
    ),
    Step(
        "issue",
        _("出台"),
        lambda a, m, c: s.measure_issue(actor=a, measure=m, **c),
        form=MeasureIssueForm,
    ),
    Step(
        "repeal",
        _("废止"),
        lambda a, m, c: s.measure_repeal(actor=a, measure=m, **c),
        form=ReasonStep,
    ),
    Step(
        "abandon",
        _("不予出台"),
        lambda a, m, c: s.measure_abandon(actor=a, measure=m, **c),
        form=ReasonStep,
    ),
)


# --- cleanup ------------------------------------------------------------------------------------
class SelectForm(StepForm):
    in_force_on = date_field(_("在该日现行有效"), help_text="")
    issued_from = date_field(_("印发日期自"), help_text="")
    issued_to = date_field(_("印发日期至"), help_text="")
    themes = forms.ModelMultipleChoiceField(
        label=_("涉及主题"),
        required=False,
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    affects_market = forms.BooleanField(label=_("仅涉及经营者经济活动的"), required=False)
    include_measures = forms.BooleanField(label=_("同时清理政策措施"), required=False, initial=True)


class VerdictForm(StepForm):
    items = forms.ModelMultipleChoiceField(
        label=_("清理对象"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    verdict = forms.ChoiceField(label=_("清理结论"), choices=Verdict.choices)
    reason = text_field(_("理由"))
    decided_on = date_field(_("结论日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        items = self.record.items.select_related("document", "measure") if self.record else None
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda item: (
            f"{item.subject}" + (f"(已定:{item.get_verdict_display()})" if item.verdict else "")
        )


def _verdicts(actor, campaign, data):
    for item in data["items"]:
        s.item_verdict(
            actor=actor,
            item=item,
            verdict=data["verdict"],
            reason=data["reason"],
            decided_on=data["decided_on"],
        )


class FinishForm(StepForm):
    finished_on = date_field(_("完成日期"))
    submitted_to = forms.CharField(label=_("报送清理目录至"), required=False, initial="市司法局")


CLEANUP_STEPS = Steps(
    Step(
        "select",
        _("选取清理对象"),
        lambda a, c, d: s.campaign_select(actor=a, campaign=c, **d),
        form=SelectForm,
    ),
    Step("verdict", _("记录清理结论"), _verdicts, form=VerdictForm),
    Step(
        "finish",
        _("完成清理"),
        lambda a, c, d: s.campaign_finish(actor=a, campaign=c, **d),
        form=FinishForm,
    ),
)


# --- disputes, bills, contracts --------------------------------------------------------------------
class AnswerForm(StepForm):
    answered_on = date_field(_("提交答复(答辩)日期"))


class HearingForm(StepForm):
    hearing_on = date_field(_("开庭(听证)日期"), required=True)
    principal_appeared = forms.BooleanField(label=_("负责人出庭应诉"), required=False)
    appearing_person = forms.CharField(label=_("出庭负责人及职务"), required=False)


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label=_("结果"), choices=Outcome.choices)
    decided_on = date_field(_("审结日期"))
    note = text_field(_("结果说明"), required=False)


DISPUTE_STEPS = Steps(
    Step(
        "answer",
        _("提交答复(答辩)"),
        lambda a, c, d: s.dispute_answer(actor=a, case=c, **d),
        form=AnswerForm,
    ),
    Step(
        "hearing",
        _("记录开庭及负责人出庭"),
        lambda a, c, d: s.dispute_hearing(actor=a, case=c, **d),
        form=HearingForm,
    ),
    Step(
        "decide",
        _("记录审结结果"),
        lambda a, c, d: s.dispute_decide(actor=a, case=c, **d),
        form=DecideForm,
    ),
)


class MilestoneForm(StepForm):
    kind = forms.ChoiceField(label=_("环节"), choices=MilestoneKind.choices)
    on = date_field(_("日期"), required=True)
    body = forms.CharField(label=_("会议或机关"), required=False)
    note = text_field(_("说明"), required=False)


BILL_STEPS = Steps(
    Step(
        "milestone",
        _("记录立法环节"),
        lambda a, b, d: s.milestone_record(actor=a, bill=b, **d),
        form=MilestoneForm,
    ),
)


class ContractReviewForm(StepForm):
    passed = forms.TypedChoiceField(
        label=_("审查结论"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("通过")), ("no", _("不通过(退回修改)"))],
    )
    opinion = text_field(_("审查意见"))
    reviewed_on = date_field(_("审查日期"))


CONTRACT_STEPS = Steps(
    Step(
        "review",
        _("记录审查意见"),
        lambda a, r, d: s.contract_review_record(actor=a, review=r, **d),
        form=ContractReviewForm,
    ),
)
