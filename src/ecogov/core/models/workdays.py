from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import HistoryIPBase


class WorkdayOverride(models.Model):
    """A day the bureau declares working or rest, from a State Council notice; wins over the package."""

    day = models.DateField(
        _("日期"), unique=True, error_messages={"unique": _("该日期已有调整记录。")}
    )
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=64, blank=True, help_text=_("如:春节、调休上班"))
    source_document = models.CharField(_("依据文号"), max_length=128)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {'上班' if self.is_workday else '休息'} {self.name}"


class CalendarYear(models.Model):
    """A year whose whole holiday schedule has been entered in the override table."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source_document = models.CharField(_("依据文号"), max_length=128)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
