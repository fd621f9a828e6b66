from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import HistoryIPBase


class SecurityPolicy(models.Model):
    """The live login-security settings; only the security administrator changes them."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    lockout_failures = models.PositiveSmallIntegerField(
        _("连续失败锁定次数"),
        default=settings.ECOGOV_LOCKOUT_FAILURES,
        validators=[MinValueValidator(3), MaxValueValidator(10)],
    )
    lockout_minutes = models.PositiveIntegerField(
        _("锁定时长(分钟)"),
        default=settings.ECOGOV_LOCKOUT_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    session_idle_minutes = models.PositiveIntegerField(
        _("空闲超时(分钟)"),
        default=settings.ECOGOV_SESSION_IDLE_MINUTES,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self):
        return str(_("安全策略"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        policy = cls.objects.filter(pk=1).first()
        return policy if policy is not None else cls(pk=1)
