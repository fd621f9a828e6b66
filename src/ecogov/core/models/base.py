"""Shared pieces of ledger models: history with the client address, typed events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryIPBase(models.Model):
    """Added to every simple-history table: where the change came from."""

    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        abstract = True


class EventBase(models.Model):
    """One typed, append-only event of a record's life (Saleor's order events, our way).

    Each area keeps its own event table subclassing this, with a `record` foreign key and
    a `type` with the area's choices. The annual figures count these events by date.
    """

    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    payload = models.JSONField(_("附加数据"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["occurred_at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise RuntimeError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("events are append-only")
