"""Staff law study and exams (学法考法): study sessions, exams, each staff member's score."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .common import division_field


class StudyKind(models.TextChoices):
    THEORY = "theory", _("理论学习")
    LAW_TRAINING = "law_training", _("法律培训")
    LECTURE = "lecture", _("环保大讲堂")
    OTHER = "other", _("其他")


class StudySession(models.Model):
    division = division_field()
    kind = models.CharField(_("学习形式"), max_length=16, choices=StudyKind.choices)
    topic = models.CharField(_("学习内容"), max_length=200)
    held_on = models.DateField(_("日期"))
    hours = models.DecimalField(
        _("学时"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    attendees = models.ManyToManyField(
        "core.StaffProfile", verbose_name=_("参加人员"), blank=True, related_name="+"
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("干部职工学法")
        verbose_name_plural = _("干部职工学法")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class LawExam(models.Model):
    """An exam; its roster (the staff who should sit it) is fixed when it is set up."""

    division = division_field()
    title = models.CharField(_("考试名称"), max_length=128)
    held_on = models.DateField(_("考试日期"))
    full_mark = models.DecimalField(
        _("满分"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("100"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    pass_mark = models.DecimalField(
        _("合格分数线"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    organiser = models.CharField(
        _("组织单位"), max_length=128, blank=True, help_text=_("如市委全面依法治市委员会办公室")
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("学法考法考试")
        verbose_name_plural = _("学法考法考试")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title


class ExamResult(models.Model):
    """One staff member on an exam's roster: a score, or empty with the reason for not sitting."""

    exam = models.ForeignKey(
        LawExam, verbose_name=_("考试"), on_delete=models.CASCADE, related_name="results"
    )
    staff = models.ForeignKey(
        "core.StaffProfile", verbose_name=_("工作人员"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("成绩"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("未参加考试的留空,并填写原因。"),
    )
    passed = models.BooleanField(_("合格"), default=False, editable=False)
    absence_reason = models.CharField(_("未参考原因"), max_length=128, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="exam__division")

    class Meta:
        verbose_name = _("考试成绩")
        verbose_name_plural = _("考试成绩")
        ordering = ["exam", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "staff"],
                name="outreach_one_result_per_staff",
                violation_error_message=_("该工作人员已在本次考试名单中。"),
            )
        ]

    def __str__(self):
        return f"{self.exam} {self.staff.full_name}"

    @property
    def sat(self) -> bool:
        return self.score is not None
