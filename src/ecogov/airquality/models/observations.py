"""Hourly data, one row per station-hour, and the import batches that wrote them.

Why six columns and not one row per value: at 10^6 station-hours a row per value would be
6 × 10^6 rows, each repeating station, hour and batch (plus a 6× larger unique index); one
row per station-hour stores each key once, reads a year of a city with one index range
scan, and maps straight onto the engine's (station, pollutant, hour) cube. Missing values
are NULL; a non-empty flag marks the value invalid (kept as received, ignored by the
evaluation); `checks` marks plausibility warnings (kept and evaluated, never changed).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecogov.core.scoping import ScopeSpec

from .stations import CityDataQuerySet

# Engine pollutant name -> (value column, flag column), in the engine's order.
VALUE_FIELDS = {"SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3", "PM10": "pm10", "PM2.5": "pm25"}
FLAG_FIELDS = {p: f"{f}_flag" for p, f in VALUE_FIELDS.items()}
# Bits of Observation.checks: suspicious but possible values, kept as received.
CHECKS = {1: _("PM2.5 大于同一小时的 PM10"), 2: _("CO 超过 100 mg/m³,疑似以 µg/m³ 填报")}
PM_ABOVE_PM10, CO_UNIT_SUSPECT = 1, 2


def _value(label):
    return models.FloatField(label, null=True, blank=True)


def _flag(label):
    return models.CharField(label, max_length=8, blank=True, default="")


class ImportBatch(models.Model):
    """One imported file: who, when, what it held, and every row-level problem found."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("后台上传")
        API = "api", _("接口")
        COMMAND = "command", _("命令行")
        DEMO = "demo", _("演示数据")

    class Layout(models.TextChoices):
        LONG = "long", _("长表(站点、时间、污染物、浓度)")
        WIDE = "wide", _("日发布宽表(按小时结束时刻)")
        GENERATED = "generated", _("程序生成")

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True, db_index=True)
    file_size = models.PositiveBigIntegerField(_("文件大小(字节)"), default=0)
    layout = models.CharField(_("格式"), max_length=16, choices=Layout.choices, blank=True)
    replace = models.BooleanField(_("覆盖已有不同数值"), default=False)
    rows_read = models.PositiveIntegerField(_("读入行数"), default=0)
    values_added = models.PositiveIntegerField(_("新增数值"), default=0)
    values_unchanged = models.PositiveIntegerField(_("与已有相同"), default=0)
    values_replaced = models.PositiveIntegerField(_("覆盖数值"), default=0)
    values_missing = models.PositiveIntegerField(_("缺测(空值)"), default=0)
    values_flagged = models.PositiveIntegerField(_("标记无效"), default=0)
    values_rejected = models.PositiveIntegerField(_("未导入(有问题)"), default=0)
    warnings = models.PositiveIntegerField(_("警告数"), default=0)
    years = models.JSONField(_("涉及年份"), default=list, blank=True)
    stations = models.JSONField(_("涉及站点"), default=list, blank=True)
    # [{"file", "line", "field", "message", "kind": "error"|"warning"}], capped (PROBLEMS_KEPT)
    problems = models.JSONField(_("问题清单"), default=list, blank=True)
    problems_total = models.PositiveIntegerField(_("问题总数"), default=0)

    objects = CityDataQuerySet.as_manager()
    scope = ScopeSpec(division=None)

    PROBLEMS_KEPT = 2000

    class Meta:
        verbose_name = _("数据导入批次")
        verbose_name_plural = _("数据导入批次")
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        if self.imported_at is None:
            return self.file_name
        return f"{self.file_name}({timezone.localtime(self.imported_at):%Y-%m-%d %H:%M})"


class Observation(models.Model):
    station = models.ForeignKey(
        "airquality.Station",
        verbose_name=_("站点"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    # The START of the hour, Asia/Shanghai (stored as UTC by Django): [hour, hour + 1 h).
    hour = models.DateTimeField(_("小时(起始时刻)"))
    so2 = _value("SO₂ (µg/m³)")
    no2 = _value("NO₂ (µg/m³)")
    co = _value("CO (mg/m³)")
    o3 = _value("O₃ (µg/m³)")
    pm10 = _value("PM₁₀ (µg/m³)")
    pm25 = _value("PM₂.₅ (µg/m³)")
    so2_flag = _flag(_("SO₂ 标记"))
    no2_flag = _flag(_("NO₂ 标记"))
    co_flag = _flag(_("CO 标记"))
    o3_flag = _flag(_("O₃ 标记"))
    pm10_flag = _flag(_("PM₁₀ 标记"))
    pm25_flag = _flag(_("PM₂.₅ 标记"))
    checks = models.PositiveSmallIntegerField(_("可疑标识"), default=0)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("最近写入批次"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CityDataQuerySet.as_manager()
    scope = ScopeSpec(division="station__city")

    class Meta:
        verbose_name = _("小时数据")
        verbose_name_plural = _("小时数据")
        ordering = ["station", "hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "hour"], name="airquality_observation_station_hour"
            )
        ]

    def __str__(self):
        return f"{self.station_id} {timezone.localtime(self.hour):%Y-%m-%d %H:%M}"
