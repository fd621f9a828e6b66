"""The law-popularisation duty list (普法责任清单, 谁执法谁普法): versioned, each version kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .common import division_field


class DutyListState(models.TextChoices):
    IN_FORCE = "in_force", _("现行")
    SUPERSEDED = "superseded", _("已被新版本替代")


class DutyList(models.Model):
    """One version of a division's duty list. A new version (动态调整) supersedes the one in
    force; both are kept, with the link from the old to the new."""

    division = division_field()
    title = models.CharField(_("清单名称"), max_length=128)
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本号"), editable=False)
    issued_on = models.DateField(_("印发日期"))
    basis = models.CharField(
        _("印发文件"), max_length=128, blank=True, help_text=_("如《2020年度普法依法治理工作计划》")
    )
    adjustment = models.TextField(
        _("调整说明"), blank=True, help_text=_("新版本相对上一版本调整了什么、为什么调整。")
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=DutyListState.choices,
        default=DutyListState.IN_FORCE,
        editable=False,
    )
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("被哪一版本替代"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    superseded_on = models.DateField(_("替代日期"), null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("普法责任清单")
        verbose_name_plural = _("普法责任清单")
        ordering = ["-issued_on", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "version"], name="outreach_duty_list_version"
            )
        ]

    def __str__(self):
        return _("%(title)s(第%(v)s版)") % {"title": self.title, "v": self.version}


class DutyItem(models.Model):
    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("清单版本"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    laws = models.CharField(
        _("普法内容(法律法规)"),
        max_length=300,
        help_text=_("如《中华人民共和国宪法》《中华人民共和国土壤污染防治法》"),
    )
    audience = models.CharField(_("普法对象"), max_length=128)
    responsible = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("责任科室(单位)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    measures = models.CharField(_("普法措施"), max_length=300, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("上一版本中的同一条"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="duty_list__division")

    class Meta:
        verbose_name = _("清单事项")
        verbose_name_plural = _("清单事项")
        ordering = ["duty_list", "order", "pk"]

    def __str__(self):
        return _("第%(v)s版第%(n)s条:%(laws)s") % {
            "v": self.duty_list.version,
            "n": self.order,
            "laws": self.laws[:40],
        }
