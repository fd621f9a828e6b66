"""Screens of the duty list, events, trainings, law study and exams, honours and creations."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from ecogov.core.models import Organisation, OrganisationKind, StaffProfile

from .. import events, services
from ..models import (
    Activity,
    ActivityMaterial,
    Creation,
    DutyItem,
    DutyList,
    DutyListState,
    ExamResult,
    Honour,
    LawExam,
    StudySession,
    Training,
    TrainingAttendee,
)
from .common import ServiceAdmin

BUREAU_UNITS = [
    OrganisationKind.BUREAU,
    OrganisationKind.SECTION,
    OrganisationKind.SUB_BUREAU,
    OrganisationKind.ATTACHED_UNIT,
]


class _Scoped(ServiceAdmin):
    events_of = staticmethod(events.events_of)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(kind__in=BUREAU_UNITS, is_active=True)
        if db_field.related_model is StaffProfile:
            kwargs["queryset"] = StaffProfile.objects.filter(
                organisation__kind__in=BUREAU_UNITS
            ).select_related("organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is DutyItem:
            kwargs["queryset"] = (
                DutyItem.objects.visible_to(request.user)
                .select_related("duty_list")
                .order_by("-duty_list__version", "order")
            )
        if db_field.related_model is StaffProfile:
            kwargs["queryset"] = StaffProfile.objects.filter(
                organisation__kind__in=BUREAU_UNITS
            ).select_related("organisation")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DutyItemInline(TabularInline):
    model = DutyItem
    fields = ["order", "laws", "audience", "responsible", "measures"]
    extra = 0
    verbose_name_plural = _("清单事项(新增版本时留空则沿用现行版本的全部事项)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            kwargs["queryset"] = Organisation.objects.filter(kind__in=BUREAU_UNITS, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state != DutyListState.IN_FORCE:
            return False
        return super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(DutyList)
class DutyListAdmin(_Scoped):
    list_display = ["title", "version", "division", "year", "issued_on", "state", "superseded_by"]
    list_filter = ["state", "year", "division"]
    search_fields = ["title", "items__laws"]
    list_select_related = ["division", "superseded_by"]
    inlines = [DutyItemInline]
    fields = [
        "division",
        "title",
        "year",
        "issued_on",
        "basis",
        "adjustment",
        "version",
        "state",
        "superseded_by",
        "superseded_on",
        "discharged",
    ]
    readonly_fields = ["version", "state", "superseded_by", "superseded_on", "discharged"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state != DutyListState.IN_FORCE:
            return False  # a superseded version is kept as it was
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["division"] if obj is not None else fields

    def discharged(self, obj):
        if obj is None or obj.pk is None:
            return ""
        lines = []
        for item in obj.items.prefetch_related("activities", "trainings"):
            done = [str(a) for a in item.activities.all()] + [str(t) for t in item.trainings.all()]
            lines.append(f"第{item.order}条:{'、'.join(done) if done else '尚无活动或培训'}")
        return "\n".join(lines) or "—"

    discharged.short_description = _("落实情况(宣传活动与培训)")

    def create(self, request, data, children):
        return services.duty_list_issue(
            actor=request.user, data=data, items=children.get(DutyItem) or None
        )

    def update(self, request, record, data, children):
        return services.duty_list_update(
            actor=request.user, duty_list=record, data=data, items=children.get(DutyItem)
        )


class MaterialInline(TabularInline):
    model = ActivityMaterial
    fields = ["kind", "title", "quantity"]
    extra = 0


@admin.register(Activity)
class ActivityAdmin(_Scoped):
    list_display = ["held_on", "title", "kind", "division", "place", "audience_count"]
    list_filter = ["kind", "division"]
    date_hierarchy = "held_on"
    search_fields = ["title", "place"]
    list_select_related = ["division"]
    inlines = [MaterialInline]
    fields = [
        "division",
        "kind",
        "title",
        "held_on",
        "place",
        "audience",
        "audience_count",
        "organiser",
        "duty_items",
        "summary",
    ]

    def create(self, request, data, children):
        return services.activity_record(
            actor=request.user, data=data, materials=children.get(ActivityMaterial)
        )

    def update(self, request, record, data, children):
        return services.activity_update(
            actor=request.user, activity=record, data=data, materials=children.get(ActivityMaterial)
        )


class AttendeeInline(TabularInline):
    model = TrainingAttendee
    fields = ["name", "unit", "position"]
    extra = 0
    verbose_name_plural = _("参训人员名单(可不录入;录入后参训人数按名单计)")


@admin.register(Training)
class TrainingAdmin(_Scoped):
    list_display = ["held_on", "topic", "law", "division", "attendee_count"]
    list_filter = ["law", "division"]
    date_hierarchy = "held_on"
    search_fields = ["topic", "audience_units", "law_other"]
    list_select_related = ["division"]
    inlines = [AttendeeInline]
    fields = [
        "division",
        "topic",
        "law",
        "law_other",
        "held_on",
        "place",
        "organiser",
        "audience_units",
        "attendee_count",
        "duty_items",
        "note",
    ]

    def create(self, request, data, children):
        return services.training_record(
            actor=request.user, data=data, roster=children.get(TrainingAttendee)
        )

    def update(self, request, record, data, children):
        return services.training_update(
            actor=request.user, training=record, data=data, roster=children.get(TrainingAttendee)
        )


@admin.register(StudySession)
class StudySessionAdmin(_Scoped):
    list_display = ["held_on", "topic", "kind", "division", "hours"]
    list_filter = ["kind", "division"]
    date_hierarchy = "held_on"
    search_fields = ["topic"]
    list_select_related = ["division"]
    fields = ["division", "kind", "topic", "held_on", "hours", "attendees", "note"]

    def create(self, request, data, children):
        return services.study_record(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.study_update(actor=request.user, session=record, data=data)


class ResultInline(TabularInline):
    model = ExamResult
    fields = ["staff", "score", "absence_reason", "passed"]
    readonly_fields = ["staff", "passed"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("应考人员与成绩(未参考的留空成绩并填写原因)")

    def has_add_permission(self, request, obj=None):
        return False  # the roster is fixed by the service; add staff with 追加应考人员


class ExamForm(forms.ModelForm):
    add_staff = forms.ModelMultipleChoiceField(
        label=_("追加应考人员"),
        required=False,
        queryset=StaffProfile.objects.filter(organisation__kind__in=BUREAU_UNITS),
        help_text=_("新建考试时,名单为所属区划内本局各单位的全部在职干部职工;此处可追加。"),
    )

    class Meta:
        model = LawExam
        fields = "__all__"


@admin.register(LawExam)
class LawExamAdmin(_Scoped):
    form = ExamForm
    list_display = ["held_on", "title", "division", "roster", "sat", "passed"]
    list_filter = ["division"]
    date_hierarchy = "held_on"
    search_fields = ["title"]
    list_select_related = ["division"]
    inlines = [ResultInline]
    fields = [
        "division",
        "title",
        "held_on",
        "full_mark",
        "pass_mark",
        "organiser",
        "note",
        "add_staff",
        "coverage",
    ]
    readonly_fields = ["coverage"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            return [f for f in fields if f != "add_staff"]  # a form field: nothing to show
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["division"] if obj is not None else fields

    @admin.display(description=_("应考"))
    def roster(self, obj):
        return obj.results.count()

    @admin.display(description=_("实考"))
    def sat(self, obj):
        return obj.results.filter(score__isnull=False).count()

    @admin.display(description=_("合格"))
    def passed(self, obj):
        return obj.results.filter(passed=True).count()

    @admin.display(description=_("参考率与合格率"))
    def coverage(self, obj):
        if obj is None or obj.pk is None:
            return ""
        roster, sat, passed = self.roster(obj), self.sat(obj), self.passed(obj)
        missing = "、".join(
            f"{r.staff.full_name}({r.absence_reason or '未填原因'})"
            for r in obj.results.filter(score__isnull=True).select_related("staff")
        )
        return (
            f"应考 {roster} 人,实考 {sat} 人,参考率 "
            f"{round(100 * sat / roster, 1) if roster else '—'}%;合格 {passed} 人,合格率 "
            f"{round(100 * passed / sat, 1) if sat else '—'}%。未参考:{missing or '无'}"
        )

    def create(self, request, data, children):
        extra = list(data.pop("add_staff", None) or [])
        roster = None
        if extra:
            division = data.get("division") or getattr(request.user.staff, "division", None)
            roster = list(services.bureau_staff(division)) if division else []
            roster += [s for s in extra if s not in roster]
        return services.law_exam_create(actor=request.user, data=data, roster=roster)

    def update(self, request, record, data, children):
        extra = list(data.pop("add_staff", None) or [])
        results = children.get(ExamResult)
        if extra:
            if results is None:
                results = [{"pk": r.pk} for r in record.results.all()]
            results = results + [{"staff": s} for s in extra]
        return services.law_exam_update(actor=request.user, exam=record, data=data, results=results)


@admin.register(Honour)
class HonourAdmin(_Scoped):
    list_display = [
        "awarded_on",
        "title",
        "level",
        "recipient_kind",
        "organisation",
        "staff",
        "awarding_body",
    ]
    list_filter = ["level", "recipient_kind", "division"]
    date_hierarchy = "awarded_on"
    search_fields = ["title", "awarding_body"]
    list_select_related = ["organisation", "staff"]
    fields = [
        "division",
        "title",
        "level",
        "awarding_body",
        "awarded_on",
        "recipient_kind",
        "organisation",
        "staff",
        "document",
    ]

    def create(self, request, data, children):
        return services.honour_record(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.honour_update(actor=request.user, honour=record, data=data)


@admin.register(Creation)
class CreationAdmin(_Scoped):
    list_display = ["name", "kind", "level", "batch", "state", "awarded_on", "division"]
    list_filter = ["level", "kind", "state", "division"]
    search_fields = ["name", "batch", "awarding_body"]
    list_select_related = ["division"]
    fields = [
        "division",
        "kind",
        "name",
        "level",
        "batch",
        "awarding_body",
        "started_on",
        "awarded_on",
        "state",
        "note",
    ]

    def create(self, request, data, children):
        return services.creation_record(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.creation_update(actor=request.user, creation=record, data=data)
