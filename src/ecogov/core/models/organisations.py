from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import HistoryIPBase


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("生态环境局")
    SECTION = "section", _("局机关科室")
    SUB_BUREAU = "sub_bureau", _("分局")
    ATTACHED_UNIT = "attached_unit", _("直属单位")
    CITY_DEPARTMENT = "city_department", _("市直部门")
    COUNTY_GOVERNMENT = "county_government", _("县市区政府(管委会)")
    OUTSIDE_BODY = "outside_body", _("外部机构")


class Organisation(models.Model):
    name = models.CharField(
        _("名称"), max_length=128, unique=True, error_messages={"unique": _("同名机构已存在。")}
    )
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(_("类别"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    outside_kind = models.CharField(
        _("外部机构类型"), max_length=32, blank=True, help_text=_("如律师事务所、法院")
    )
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
