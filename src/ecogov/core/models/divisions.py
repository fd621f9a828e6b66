import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import HistoryIPBase

DIVISION_CODE_RE = re.compile(r"^\d{6}$")


def validate_division_code(value: str) -> None:
    if not DIVISION_CODE_RE.match(value or ""):
        raise ValidationError(
            _("行政区划代码应为6位数字(GB/T 2260),“%(value)s”不符合。"), params={"value": value}
        )


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("地市级")
    COUNTY = "county", _("县级")
    SPECIAL_ZONE = "special_zone", _("功能区(管委会)")


class Division(models.Model):
    """An administrative division by its GB/T 2260 code.

    Special zones (development-zone management committees) have no standard code; they
    carry the statistical code the province uses for them (x7x) and `is_standard=False`.
    `path` lists the codes from the root down, so a scope is one prefix match.
    """

    code = models.CharField(
        _("区划代码"),
        max_length=6,
        unique=True,
        validators=[validate_division_code],
        error_messages={"unique": _("该行政区划代码已存在。")},
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_standard = models.BooleanField(_("国标代码"), default=True)
    path = models.CharField(_("层级路径"), max_length=128, editable=False, db_index=True)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}({self.code})"

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级区划不能是自身。")})
        if self.level == DivisionLevel.SPECIAL_ZONE and not self.parent_id:
            raise ValidationError({"parent": _("功能区必须隶属于某个县级或地市级区划。")})

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)
