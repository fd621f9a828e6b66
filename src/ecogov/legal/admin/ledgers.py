"""Screens of the plain ledgers (counsel, the leading group, duties, law study) and of the
configuration the legal section keeps."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import FixedCodeMixin, HistoryModelAdmin, ModelAdmin, ReadOnlyInline
from ecogov.legal.models import (
    CounselContract,
    CounselOpinion,
    GroupMeeting,
    GroupMember,
    LeaderDuty,
    LeadingGroup,
    LegalPolicy,
    ReviewKind,
    StudySession,
    Theme,
)

from .base import LedgerAdmin, LegalEventInline


class OpinionInline(ReadOnlyInline):
    model = CounselOpinion
    fields = ["given_on", "matter_kind", "subject", "lawyer"]
    readonly_fields = fields
    show_change_link = True


@admin.register(CounselContract)
class CounselContractAdmin(LedgerAdmin):
    list_display = ["firm", "title", "term_start", "term_end", "fee_wan", "opinion_count"]
    search_fields = ["title", "firm__name", "lawyers"]
    fields = [
        "firm",
        "title",
        "division",
        "signed_on",
        "term_start",
        "term_end",
        "fee_wan",
        "lawyers",
        "scope_of_service",
    ]
    inlines = [OpinionInline, LegalEventInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("出具意见(件)"))
    def opinion_count(self, obj):
        return obj.opinions.count()


@admin.register(CounselOpinion)
class CounselOpinionAdmin(LedgerAdmin):
    list_display = ["given_on", "matter_kind", "subject", "lawyer", "contract"]
    list_filter = ["matter_kind"]
    search_fields = ["subject", "summary", "lawyer"]
    date_hierarchy = "given_on"
    fields = ["contract", "matter_kind", "subject", "given_on", "lawyer", "summary"]


class MemberInline(ReadOnlyInline):
    model = GroupMember
    fields = ["name", "position", "role", "joined_on", "left_on", "note"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("成员(含历次调整)")


class MeetingInline(ReadOnlyInline):
    model = GroupMeeting
    fields = ["held_on", "title", "topics"]
    readonly_fields = fields
    show_change_link = True


@admin.register(LeadingGroup)
class LeadingGroupAdmin(LedgerAdmin):
    list_display = ["name", "established_on", "office", "dissolved_on"]
    fields = ["name", "division", "established_on", "founding_document", "office", "dissolved_on"]
    inlines = [MemberInline, MeetingInline, LegalEventInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


@admin.register(GroupMember)
class GroupMemberAdmin(LedgerAdmin):
    list_display = ["name", "position", "role", "group", "joined_on", "left_on"]
    list_filter = ["role", "group"]
    search_fields = ["name", "position"]
    fields = ["group", "name", "position", "role", "joined_on", "left_on", "note"]

    def get_readonly_fields(self, request, obj=None):
        # a change of the group is a new row: once saved, only the leaving date and note change
        if obj is not None:
            return ["group", "name", "position", "role", "joined_on"]
        return []


@admin.register(GroupMeeting)
class GroupMeetingAdmin(LedgerAdmin):
    list_display = ["held_on", "title", "chaired_by", "group"]
    date_hierarchy = "held_on"
    search_fields = ["title", "topics", "decisions"]
    fields = ["group", "held_on", "title", "chaired_by", "attendees", "topics", "decisions"]


@admin.register(LeaderDuty)
class LeaderDutyAdmin(LedgerAdmin):
    list_display = ["year", "leader_name", "kind", "short_duty", "due_on", "done_on"]
    list_filter = ["year", "kind"]
    search_fields = ["duty", "note"]
    fields = ["division", "year", "leader_name", "kind", "duty", "due_on", "done_on", "note"]

    @admin.display(description=_("职责事项"))
    def short_duty(self, obj):
        return obj.duty[:40]


@admin.register(StudySession)
class StudySessionAdmin(LedgerAdmin):
    list_display = ["held_on", "kind", "topic", "lecturer", "attendee_count"]
    list_filter = ["kind"]
    date_hierarchy = "held_on"
    search_fields = ["topic", "lecturer"]
    fields = [
        "division",
        "held_on",
        "kind",
        "topic",
        "lecturer",
        "attendees",
        "attendee_count",
        "leaders_attended",
    ]


# --- configuration -------------------------------------------------------------------------------
@admin.register(LegalPolicy)
class LegalPolicyAdmin(HistoryModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewKind)
class ReviewKindAdmin(FixedCodeMixin, HistoryModelAdmin):
    # reviews point at the kind by its code (the two statutory kinds by fixed codes)
    list_display = [
        "name",
        "code_shown",
        "outcome_set",
        "requirement",
        "legal_section_only",
        "is_active",
    ]
    list_filter = ["is_active", "requirement"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a kind with “在用” instead


@admin.register(Theme)
class ThemeAdmin(FixedCodeMixin, ModelAdmin):
    list_display = ["name", "code_shown", "is_active"]
    list_filter = ["is_active"]

    def has_delete_permission(self, request, obj=None):
        return False
