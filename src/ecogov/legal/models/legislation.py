"""Legislation the bureau drafts for the city (地方性法规、政府规章) and its milestones."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class BillKind(models.TextChoices):
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    GOVERNMENT_RULE = "government_rule", _("地方政府规章")


class MilestoneKind(models.TextChoices):
    """In the order a bill goes through them (a milestone's date may not run against it)."""

    DRAFTING = "drafting", _("启动起草")
    SUBMITTED = "submitted", _("报送市人民政府")
    HEARING = "hearing", _("听证会、论证会")
    GOVERNMENT_ADOPTED = "government_adopted", _("市人民政府常务会议讨论通过")
    FIRST_READING = "first_reading", _("人大常委会第一次审议")
    SECOND_READING = "second_reading", _("人大常委会第二次审议")
    THIRD_READING = "third_reading", _("人大常委会第三次审议")
    PASSED = "passed", _("人大常委会表决通过")
    APPROVED = "approved", _("省人大常委会批准")
    PROMULGATED = "promulgated", _("公布")
    EFFECTIVE = "effective", _("施行")


MILESTONE_ORDER = {kind: index for index, kind in enumerate(MilestoneKind.values)}
REPEATABLE = frozenset({MilestoneKind.HEARING})


class Bill(models.Model):
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(
        _("类别"), max_length=24, choices=BillKind.choices, default=BillKind.LOCAL_REGULATION
    )
    drafting_unit = models.ForeignKey(
        "core.Organisation", verbose_name=_("起草单位"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("主要内容"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("立法项目")
        verbose_name_plural = _("立法项目")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title if self.title.startswith("《") else f"《{self.title}》"

    def milestone(self, kind: str):
        return self.milestones.filter(kind=kind).order_by("on").first()


class BillMilestone(models.Model):
    bill = models.ForeignKey(
        Bill, verbose_name=_("立法项目"), on_delete=models.PROTECT, related_name="milestones"
    )
    kind = models.CharField(_("环节"), max_length=24, choices=MilestoneKind.choices)
    on = models.DateField(_("日期"), db_index=True)
    body = models.CharField(
        _("会议或机关"),
        max_length=200,
        blank=True,
        help_text=_("如 示例市第五届人民代表大会常务委员会第三十八次会议。"),
    )
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="bill__division")

    class Meta:
        verbose_name = _("立法环节")
        verbose_name_plural = _("立法环节")
        ordering = ["bill", "on", "pk"]

    def __str__(self):
        return f"{self.bill} {self.get_kind_display()} {self.on:%Y-%m-%d}"
