"""Publicity on the bureau's channels: items one by one, and monthly counts per channel."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .common import division_field


class Channel(models.TextChoices):
    WECHAT = "wechat", _("官方微信公众号")
    WEIBO = "weibo", _("官方微博")
    WEBSITE = "website", _("政府门户网站环保网页")
    OTHER = "other", _("其他渠道")


SOCIAL_CHANNELS = (Channel.WECHAT, Channel.WEIBO)  # 双微平台


class CountSource(models.TextChoices):
    ITEMS = "items", _("逐条录入汇总")
    IMPORT = "import", _("渠道导出表导入")
    MANUAL = "manual", _("手工填报")


class PublicityItem(models.Model):
    division = division_field()
    channel = models.CharField(_("发布渠道"), max_length=16, choices=Channel.choices)
    published_on = models.DateField(_("发布日期"))
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(
        _("链接"),
        max_length=300,
        blank=True,
        validators=[URLValidator(message=_("请输入完整的网址,如 https://…"))],
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("宣传信息")
        verbose_name_plural = _("宣传信息")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return f"{self.published_on} {self.title}"


class PublicityCount(models.Model):
    """Items published on a channel in a month: what the figures sum.

    Kept by the service from the items entered one by one (source `items`), or taken from the
    channel's own statistics (imported or entered as a number); the channel's statistic wins
    over the items entered, which are then details only (docs/outreach.md).
    """

    division = division_field()
    channel = models.CharField(_("发布渠道"), max_length=16, choices=Channel.choices)
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    count = models.PositiveIntegerField(_("发布条数"))
    source = models.CharField(
        _("数据来源"), max_length=16, choices=CountSource.choices, default=CountSource.MANUAL
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("宣传发布月度统计")
        verbose_name_plural = _("宣传发布月度统计")
        ordering = ["-month", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "channel", "month"],
                name="outreach_one_count_per_month",
                violation_error_message=_("该区划该渠道该月份已有统计,请修改原记录。"),
            )
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.get_channel_display()} {self.count}条"
