from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopeSpec

from .stations import CityDataQuerySet


class AirTarget(models.Model):
    """A division's annual air-quality targets as the assessment sets them (年度考核目标):
    the good-day ratio at least, the PM2.5 annual mean at most, the days of heavy pollution or
    worse (AQI above 200) at most. Entered from the target document; progress is computed
    (ecogov.airquality.targets, docs/airquality.md "Annual targets")."""

    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("市或县(区);其评价以其所属监测站点计算。"),
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    good_days_ratio = models.DecimalField(
        _("优良天数比例目标(%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("不低于,如 90.0"),
    )
    pm25_mean = models.DecimalField(
        _("PM₂.₅年均浓度目标(µg/m³)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("不高于,如 30.0"),
    )
    heavy_days = models.PositiveSmallIntegerField(
        _("重污染天数目标(天)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(366)],
        help_text=_("重度及以上污染(AQI 大于 200)天数不超过"),
    )
    source_document = models.CharField(
        _("目标依据"), max_length=128, help_text=_("下达目标的文件名称或文号")
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = CityDataQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("年度空气质量目标")
        verbose_name_plural = _("年度空气质量目标")
        ordering = ["-year", "division__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "year"],
                name="airquality_target_unique",
                violation_error_message=_("该行政区该年度已设定目标,请修改原记录。"),
            )
        ]

    def __str__(self):
        return f"{self.division.name} {self.year}年空气质量目标"
