"""Progress calls (调度), the progress reports units file, and the reminders sent to them."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.matters.workflow import Kind


class ProgressCall(models.Model):
    """A leader asks every responsible unit for progress on its open matters by a date.

    When it opens, the (matter, unit) pairs it expects are fixed (ProgressCallItem), so
    "who has not filed" does not shift as matters close during the call.
    """

    title = models.CharField(_("调度名称"), max_length=128)
    kind = models.CharField(_("事项类型"), max_length=16, choices=Kind.choices, blank=True)
    source = models.ForeignKey(
        "matters.Source",
        verbose_name=_("来源批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("范围(区划)"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("报送截止日期"))
    note = models.TextField(_("调度要求"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调度")
        verbose_name_plural = _("调度")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    """What a responsible unit reports on one matter (in a call or on its own)."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="reports"
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    call = models.ForeignKey(
        ProgressCall,
        verbose_name=_("调度"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度(%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100, _("完成进度不能超过100%。"))],
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.organisation} {self.reported_at:%Y-%m-%d}"


class ProgressCallItem(models.Model):
    call = models.ForeignKey(ProgressCall, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("调度应报事项")
        verbose_name_plural = _("调度应报事项")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "matter", "organisation"], name="matters_call_item_once"
            )
        ]
        indexes = [models.Index(fields=["call", "organisation"])]


class ReminderLog(models.Model):
    """One reminder e-mail to a unit on one day (`ecogov remind` sends each unit one a day)."""

    sent_on = models.DateField(_("日期"))
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.TextField(_("收件人"), blank=True)
    due_soon = models.PositiveIntegerField(_("即将到期"))
    overdue = models.PositiveIntegerField(_("已逾期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("催办提醒")
        verbose_name_plural = _("催办提醒")
        ordering = ["-sent_on", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["sent_on", "organisation"], name="matters_reminder_once_a_day"
            )
        ]
