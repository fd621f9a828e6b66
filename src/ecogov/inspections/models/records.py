"""Inspection records (执法检查记录), their events, numbering, and publications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class InspectionType(models.TextChoices):
    """Random checks and the special campaigns the seed lists (一(三)2)."""

    RANDOM = "random", _("双随机抽查")
    HEAVY_METAL = "heavy_metal", _("涉重金属企业环境风险排查")
    DRINKING_WATER = "drinking_water", _("“千吨万人”饮用水水源地帮扶")
    HAZARD_SURVEY = "hazard_survey", _("环境安全隐患大排查")
    COMPLAINT = "complaint", _("信访投诉核查")
    DAILY = "daily", _("日常监管检查")


class Outcome(models.TextChoices):
    NO_PROBLEM = "no_problem", _("未发现问题")
    ORDERED_FIXED = "ordered_fixed", _("发现问题,责令整改")
    CASE_OPENED = "case_opened", _("发现违法行为,已立案")


class InspectionRecord(models.Model):
    """One enterprise inspection (one 家次)."""

    number = models.CharField(_("检查记录编号"), max_length=48, unique=True, editable=False)
    date = models.DateField(_("检查日期"), db_index=True)
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    type = models.CharField(_("检查类型"), max_length=16, choices=InspectionType.choices)
    draw_check = models.OneToOneField(
        "inspections.DrawCheck",
        verbose_name=_("抽取结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
        help_text=_("双随机抽查须对应一条有效抽取结果。"),
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), related_name="+"
    )
    substitution_reason = models.CharField(
        _("人员变更理由"),
        max_length=256,
        blank=True,
        help_text=_("双随机抽查的执法人员与抽取结果不一致时必填。"),
    )
    findings = models.TextField(_("检查情况"), blank=True)
    outcome = models.CharField(
        _("检查结论"), max_length=16, choices=Outcome.choices, default=Outcome.NO_PROBLEM
    )
    case_number = models.CharField(_("立案编号"), max_length=48, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"))
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("执法检查记录")
        verbose_name_plural = _("执法检查记录")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["type", "date"]), models.Index(fields=["division", "date"])]

    def __str__(self):
        return f"{self.number} {self.entity}"

    def clean(self):
        if self.type == InspectionType.RANDOM and self.draw_check_id is None:
            raise ValidationError({"draw_check": _("双随机抽查须选择对应的抽取结果。")})
        if self.type != InspectionType.RANDOM and self.draw_check_id is not None:
            raise ValidationError({"draw_check": _("只有双随机抽查对应抽取结果。")})


class InspectionCounter(models.Model):
    """The last number given per year (row locked while numbering)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("检查记录编号计数")
        verbose_name_plural = _("检查记录编号计数")


class InspectionEvent(EventBase):
    class Type(models.TextChoices):
        RECORDED = "recorded", _("录入")
        UPDATED = "updated", _("修改")
        ATTACHMENT_ADDED = "attachment_added", _("添加附件")
        CASE_OPENED = "case_opened", _("一键立案")
        PUBLISHED = "published", _("公开检查结果")

    record = models.ForeignKey(InspectionRecord, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(EventBase.Meta):
        verbose_name = _("检查记录事件")
        verbose_name_plural = _("检查记录事件")


class PublicationKind(models.TextChoices):
    DRAW_LIST = "draw_list", _("抽查名单")
    RESULT = "result", _("检查结果")


class Publication(models.Model):
    """Something due on the public portal, with its deadline; published once, with the exact
    content handed to the portal (masked: no personal data, no recusal reasons)."""

    kind = models.CharField(_("公开内容"), max_length=16, choices=PublicationKind.choices)
    draw = models.OneToOneField(
        "inspections.Draw",
        verbose_name=_("抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )
    inspection = models.OneToOneField(
        InspectionRecord,
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    trigger_on = models.DateField(_("起算日"))
    due_on = models.DateField(_("公开期限"), db_index=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_time = models.BooleanField(_("按期公开"), null=True, blank=True, editable=False)
    content = models.JSONField(_("公开内容快照"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("信息公开")
        verbose_name_plural = _("信息公开(抽查名单与结果)")
        ordering = ["published_on", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="draw_list", draw__isnull=False, inspection__isnull=True)
                    | Q(kind="result", draw__isnull=True, inspection__isnull=False)
                ),
                name="inspections_publication_subject",
            )
        ]
        indexes = [
            # the portal's lists, newest first (inspections.queries.public_publications): a page
            # is the index's last entries of the kind, its total one range (docs/indexes.md)
            models.Index(fields=["kind", "published_on", "id"], name="inspections_pub_public"),
        ]

    def __str__(self):
        return self.title
