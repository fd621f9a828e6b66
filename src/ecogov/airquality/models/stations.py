from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.models.entities import LATITUDE_RANGE, LONGITUDE_RANGE
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec, scope_for


class CityDataQuerySet(ScopedQuerySet):
    """Monitoring data are city-level and published: every business user reads all of them.

    Writing keeps the usual territorial rule (`editable_by`): only staff whose territory
    covers the station's city — city-level staff — may change it or import its data.
    """

    def visible_to(self, user):
        scope = scope_for(user)
        return self if (scope.everything or scope.sees_ledgers) else self.none()


class StationKind(models.TextChoices):
    NATIONAL = "national", _("国控站")
    PROVINCIAL = "provincial", _("省控站")
    CITY = "city", _("市控站")
    COUNTY = "county", _("县控站")


class Station(models.Model):
    code = models.CharField(
        _("站点编码"),
        max_length=16,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z_-]{1,16}$", _("站点编码只能包含字母、数字、下划线和连字符。")
            )
        ],
        error_messages={"unique": _("该站点编码已存在。")},
        help_text=_("与数据文件中的站点列一致,如国控站编码 1001A。"),
    )
    name = models.CharField(_("站点名称"), max_length=64)
    kind = models.CharField(_("站点类别"), max_length=16, choices=StationKind.choices)
    # The division the station belongs to, of any level (issue 17): a county or district is
    # evaluated on its own stations as a city is on its own (docs/airquality.md, "Divisions").
    # The field keeps its first name, `city`.
    city = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属行政区"),
        on_delete=models.PROTECT,
        related_name="air_stations",
        help_text=_("市、县(区)均可:该行政区的评价以其所属站点计算。"),
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LONGITUDE_RANGE[0]), MaxValueValidator(LONGITUDE_RANGE[1])],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LATITUDE_RANGE[0]), MaxValueValidator(LATITUDE_RANGE[1])],
    )
    counts_for_city = models.BooleanField(
        _("参与评价"),
        default=True,
        help_text=_("所属行政区的浓度为参与评价站点逐小时的算术平均(HJ 663)。清洁对照点等不参与。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = CityDataQuerySet.as_manager()
    scope = ScopeSpec(division="city")

    class Meta:
        verbose_name = _("监测站点")
        verbose_name_plural = _("监测站点")
        ordering = ["city__code", "code"]

    def __str__(self):
        return f"{self.name}({self.code})"


class Evaluation(models.Model):
    """A cached annual evaluation of a city: the engine's JSON document, as computed.

    Deleted whenever data of that city and year change (services.invalidate); `stamp`
    also guards against writes that bypassed the services.
    """

    class Edition(models.TextChoices):
        AUTO = "auto", _("按数据日期")
        E2012 = "2012", _("2012 版")
        E2026 = "2026", _("2026 版")

    class Method(models.TextChoices):
        BULLETIN = "bulletin", _("公报口径")
        STRICT = "strict", _("严格口径")

    city = models.ForeignKey(
        "core.Division", verbose_name=_("行政区"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    edition = models.CharField(_("标准版本"), max_length=8, choices=Edition.choices)
    method = models.CharField(_("达标判定"), max_length=8, choices=Method.choices)
    document = models.JSONField(_("评价结果"))
    stamp = models.CharField(_("数据指纹"), max_length=128)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    objects = CityDataQuerySet.as_manager()
    scope = ScopeSpec(division="city")

    class Meta:
        verbose_name = _("年度评价(缓存)")
        verbose_name_plural = _("年度评价(缓存)")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "year", "edition", "method"], name="airquality_evaluation_unique"
            )
        ]

    def __str__(self):
        return f"{self.city.name} {self.year} {self.edition}/{self.method}"
