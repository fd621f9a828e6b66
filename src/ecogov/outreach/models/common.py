"""Pieces every outreach record shares: the division it belongs to, choice lists, the event table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.models.base import GenericEventBase


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class Law(models.TextChoices):
    """The laws the bureau popularises most (a training or duty item names one; 其他 + text)."""

    CONSTITUTION = "constitution", _("《中华人民共和国宪法》")
    ENVIRONMENT = "environment", _("《中华人民共和国环境保护法》")
    AIR = "air", _("《中华人民共和国大气污染防治法》")
    WATER = "water", _("《中华人民共和国水污染防治法》")
    SOIL = "soil", _("《中华人民共和国土壤污染防治法》")
    SOLID_WASTE = "solid_waste", _("《中华人民共和国固体废物污染环境防治法》")
    NOISE = "noise", _("《中华人民共和国环境噪声污染防治法》")
    EIA = "eia", _("《中华人民共和国环境影响评价法》")
    YANGTZE = "yangtze", _("《中华人民共和国长江保护法》")
    PERMITS = "permits", _("《排污许可管理条例》")
    OTHER = "other", _("其他(请在“法律法规名称”中填写)")


def division_field():
    return models.ForeignKey(
        "core.Division",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("记录所属的区划(市局为示例市,分局为所在县市区);决定谁能看到。"),
    )


class OutreachEvent(GenericEventBase):
    """One typed event of any outreach record (one table for the area; `record` is generic)."""

    class Type(models.TextChoices):
        RECORDED = "recorded", _("录入")
        CHANGED = "changed", _("修改")
        IMPORTED = "imported", _("台账导入")
        ISSUED = "issued", _("印发")
        SUPERSEDED = "superseded", _("被新版本替代")
        ROSTER = "roster", _("确定参考人员")
        SCORED = "scored", _("登记成绩")
        AWARDED = "awarded", _("获得命名")

    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(GenericEventBase.Meta):
        verbose_name = _("宣传普法办理记录")
        verbose_name_plural = _("宣传普法办理记录")
        indexes = [models.Index(fields=["record_type", "record_id"], name="outreach_event_record")]
