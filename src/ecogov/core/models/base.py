"""Shared pieces of ledger models: history with the client address, typed events."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
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

    def __str__(self):
        label = self.get_type_display() if hasattr(self, "get_type_display") else self.type
        when = timezone.localtime(self.occurred_at) if self.occurred_at else None
        return f"{label}({when:%Y-%m-%d %H:%M})" if when else str(label)

    def state_label(self, code: str) -> str:
        """A state code of the record's life as its label (the record's state/status choices)."""
        if not code:
            return ""
        record_model = self._meta.get_field("record").related_model
        named = [
            record_model._meta.get_field(n)
            for n in ("state", "status", "outcome")
            if n in {f.name for f in record_model._meta.fields}
        ]
        others = [f for f in record_model._meta.fields if f.choices and f not in named]
        for field in [*named, *others]:  # the life's state first, then any other coded field
            label = dict(field.flatchoices).get(code)
            if label is not None:
                return str(label)
        return code

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise RuntimeError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("events are append-only")


class GenericEventBase(EventBase):
    """An area's one event table for records of several models (emergency, outreach): `record`
    is generic; the subclass adds its `type` with the area's choices and its index on
    (record_type, record_id)."""

    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField(db_index=True)
    record = GenericForeignKey("record_type", "record_id")
    effective_on = models.DateField(_("业务日期"), null=True, blank=True, db_index=True)

    class Meta(EventBase.Meta):
        abstract = True
