from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class Patrol(models.Model):
    """One supervision patrol of the attainment drive (巡查督导): who went out, how many
    sites were checked, how many problem letters were issued. Seed 一(三)6 counts them
    for the year: 958 person-times, 1201 sites and enterprises, 79 problem letters."""

    patrol_date = models.DateField(_("巡查日期"), db_index=True)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("巡查区域"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("组织单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(
        _("巡查内容"), max_length=128, help_text=_("如:建筑工地扬尘、道路扬尘、混凝土搅拌站")
    )
    person_times = models.PositiveIntegerField(_("出动督查人员(人次)"))
    sites = models.PositiveIntegerField(_("巡查工地和企业(个)"))
    letters = models.PositiveIntegerField(_("下达问题交办函(件)"), default=0)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("巡查督导")
        verbose_name_plural = _("巡查督导")
        ordering = ["-patrol_date", "-pk"]

    def __str__(self):
        return f"{self.patrol_date:%Y-%m-%d} {self.division.name} {self.subject}"
