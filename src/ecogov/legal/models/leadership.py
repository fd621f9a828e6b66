"""Rule-of-law leadership (法治建设组织领导): the leading group, its members over time, its
meetings, the principal leader's first-responsibility duties, and collective law study."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class LeadingGroup(models.Model):
    name = models.CharField(_("名称"), max_length=128)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    established_on = models.DateField(_("成立日期"))
    founding_document = models.CharField(_("成立文件"), max_length=200, blank=True)
    office = models.CharField(_("办公室设在"), max_length=64, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("法治建设领导小组")
        verbose_name_plural = _("法治建设领导小组")
        ordering = ["-established_on", "-pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("撤销日期不能早于成立日期。")})

    def members_on(self, day):
        return self.members.filter(joined_on__lte=day).exclude(left_on__lt=day)


class GroupRole(models.TextChoices):
    HEAD = "head", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")


class GroupMember(models.Model):
    """One person's place in the group for a time: a change is a new row, never an edit."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=32)
    position = models.CharField(_("职务"), max_length=64)
    role = models.CharField(_("小组职务"), max_length=16, choices=GroupRole.choices)
    joined_on = models.DateField(_("任职日期"))
    left_on = models.DateField(_("免职日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="group__division")

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["group", "joined_on", "pk"]

    def __str__(self):
        return f"{self.name}({self.get_role_display()})"

    def clean(self):
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("免职日期不能早于任职日期。")})


class GroupMeeting(models.Model):
    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField(_("会议日期"), db_index=True)
    title = models.CharField(_("会议名称"), max_length=200)
    chaired_by = models.CharField(_("主持人"), max_length=32, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    topics = models.TextField(_("议题"))
    decisions = models.TextField(_("议定事项"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="group__division")

    class Meta:
        verbose_name = _("领导小组会议")
        verbose_name_plural = _("领导小组会议")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class DutyKind(models.TextChoices):
    DEPLOY = "deploy", _("研究部署")
    HEAR = "hear", _("听取汇报")
    SUPERVISE = "supervise", _("督促检查")
    STUDY = "study", _("带头学法")
    REPORT = "report", _("年终述法")
    OTHER = "other", _("其他")


class LeaderDuty(models.Model):
    """An item of the principal leader's first-responsibility list for a year
    (党政主要负责人履行推进法治建设第一责任人职责)."""

    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    leader_name = models.CharField(_("主要负责人"), max_length=32)
    kind = models.CharField(_("职责类别"), max_length=16, choices=DutyKind.choices)
    duty = models.TextField(_("职责事项"))
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("履职情况"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("第一责任人职责")
        verbose_name_plural = _("第一责任人职责")
        ordering = ["-year", "due_on", "pk"]

    def __str__(self):
        return f"{self.year}年 {self.get_kind_display()}:{self.duty[:30]}"

    def clean(self):
        for field in ("due_on", "done_on"):
            value = getattr(self, field)
            if value is not None and self.year and abs(value.year - self.year) > 1:
                raise ValidationError({field: _("日期与职责年度%d年相差过远,请核对。") % self.year})


class StudyKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", _("党组理论学习中心组学法")
    PRE_MEETING = "pre_meeting", _("局务会会前学法")
    LECTURE = "lecture", _("法治讲座")
    TRAINING = "training", _("专题培训")


class StudySession(models.Model):
    """A collective law study (集中学法): who, when, what."""

    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("日期"), db_index=True)
    kind = models.CharField(_("形式"), max_length=16, choices=StudyKind.choices)
    topic = models.CharField(_("学习内容"), max_length=200)
    lecturer = models.CharField(_("主讲人"), max_length=64, blank=True)
    attendees = models.TextField(_("参加人员"), blank=True)
    attendee_count = models.PositiveIntegerField(_("参加人数"))
    leaders_attended = models.BooleanField(_("领导班子成员参加"), default=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("集中学法")
        verbose_name_plural = _("集中学法")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"
