"""The assigned matter (one table for the four kinds), its responsible units and its events."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.fields import BlindIndexField, EncryptedCharField, PersonalDataModel
from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec
from ecogov.matters.workflow import (
    ALL_ACTIONS,
    Channel,
    Feedback,
    Kind,
    ReplyCategory,
    State,
    flow_for,
)


class Matter(PersonalDataModel):
    kind = models.CharField(_("事项类型"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("类别"), max_length=32)
    source = models.ForeignKey(
        "matters.Source",
        verbose_name=_("来源批次"),
        db_index=False,
        on_delete=models.PROTECT,
        related_name="matters",
    )  # see indexes
    reference = models.CharField(_("编号"), max_length=64)
    title = models.CharField(_("事项"), max_length=256)
    content = models.TextField(_("内容"), blank=True)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("办理状态"), max_length=16, choices=State.choices)
    # denormalised from the state so that a unit's overdue list is one index range
    is_open = models.BooleanField(_("未办结"), default=True)
    received_on = models.DateField(_("交办日期"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    due_on = models.DateField(_("办理时限"), null=True, blank=True)
    due_other_on = models.DateField(
        _("另一口径时限"), null=True, blank=True, help_text=_("法规只写“日”时,另一种计算口径的日期")
    )
    due_rule = models.CharField(_("时限依据"), max_length=32, blank=True)
    due_provisional = models.BooleanField(
        _("暂定时限"), default=False, help_text=_("该年节假日安排未录入,按周一至周五推算")
    )
    extended = models.BooleanField(_("已延期"), default=False)
    done_on = models.DateField(
        _("完成日期"), null=True, blank=True, help_text=_("完成整改、答复或完成任务的日期")
    )
    done_late = models.BooleanField(
        _("逾期完成"), null=True, blank=True, help_text=_("完成时已超过当时的办理时限")
    )
    closed_on = models.DateField(
        _("办结日期"), null=True, blank=True, help_text=_("销号、摘牌、办结的日期")
    )
    result = models.TextField(_("办理结果"), blank=True)
    evidence = models.TextField(
        _("销号依据"), blank=True, help_text=_("验收材料、现场核查记录等(附件另传)")
    )
    # the unit holding the whole credit (NULL: shared between units) — kept by the services so
    # that the figures count credit from this table alone in the usual, unshared case
    credit_organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # petitions
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices, blank=True)
    # encrypted at rest; found by their blind indexes (ecogov.core.fields, docs/security.md)
    complainant_name = EncryptedCharField(_("信访人"), max_length=32, blank=True)
    complainant_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)
    complainant_id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True)
    complainant_name_bidx = BlindIndexField(source="complainant_name", kind="name")
    complainant_phone_bidx = BlindIndexField(source="complainant_phone", kind="phone")
    complainant_id_number_bidx = BlindIndexField(source="complainant_id_number", kind="id_number")
    subject_entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("被反映单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("被反映对象"), max_length=128, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复件(原件)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="duplicates",
    )
    # proposals
    deputy = models.CharField(_("代表/委员"), max_length=64, blank=True)
    reply_category = models.CharField(
        _("答复类别"), max_length=1, blank=True, choices=ReplyCategory.choices
    )
    feedback = models.CharField(
        _("代表委员反馈"), max_length=16, blank=True, choices=Feedback.choices
    )
    # campaign tasks
    measure = models.ForeignKey(
        "matters.Measure",
        verbose_name=_("对应措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="tasks",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # history rows are read by record (id) and date; the other columns need no index
    history = HistoricalRecords(
        bases=[HistoryIPBase],
        no_db_index=[
            "source",
            "division",
            "subject_entity",
            "duplicate_of",
            "measure",
            "credit_organisation",
        ],
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")
    # masked for everyone who does not handle the matter (ecogov.core.masking)
    personal_fields = {
        "complainant_name": "name",
        "complainant_phone": "phone",
        "complainant_id_number": "id_number",
    }

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference"], name="matters_matter_unique_reference"
            )
        ]
        indexes = [
            # is a tour batch still open in a year (figures): per source, by closing date
            models.Index(fields=["source", "closed_on"]),
            # the year's figures; the migration makes it covering (FIGURES_COLUMNS: INCLUDE on
            # PostgreSQL, trailing key columns on SQLite) so that they read the index alone
            models.Index(fields=["kind", "received_on"], name="matters_figures_cover"),
            # the few matters whose credit is shared (0.5 + 0.5): the figures read their units
            models.Index(
                fields=["kind", "received_on"],
                name="matters_shared_credit",
                condition=Q(credit_organisation__isnull=True),
            ),
            # a unit's overdue list: open, work not done, past its date
            models.Index(
                fields=["due_on"],
                condition=Q(is_open=True, done_on__isnull=True),
                name="matters_pending_due",
            ),
            # the dashboard's open tiles and overdue count, read from the index alone on
            # PostgreSQL (the scope needs the id and division); a few % of all matters
            models.Index(
                fields=["kind", "division"],
                include=["due_on", "done_on", "id"],
                condition=Q(is_open=True),
                name="matters_open_kind",
            ),
            # a list's count in the user's territory (scoping's `division IN (…) OR id IN
            # (assigned)`) read from the index alone, not from the wide rows: a city's 100,000
            # matters counted in ~9 ms instead of ~12 (docs/benchmarks.md, API under load)
            models.Index(fields=["division", "id"], name="matters_territory"),
            # the dashboard's "received in the year" tile: one year's rows, not a scan
            models.Index(
                fields=["received_on"], include=["division", "id"], name="matters_received"
            ),
            # a search for a petitioner (blind indexes; only petitions have one)
            *(
                models.Index(
                    fields=[f"complainant_{name}_bidx"],
                    condition=~Q(**{f"complainant_{name}_bidx": ""}),
                    name=f"matters_complainant_{name}",
                )
                for name in ("name", "phone", "id_number")
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def flow(self):
        return flow_for(self.kind, self.category)

    @property
    def is_pending(self) -> bool:
        """Open and the units' work not done yet (what overdue lists and reminders are about)."""
        return self.is_open and self.done_on is None

    def is_overdue(self, today) -> bool:
        return bool(self.is_open and self.done_on is None and self.due_on and self.due_on < today)


FIGURES_COLUMNS = [
    "source_id",
    "category",
    "division_id",
    "done_on",
    "closed_on",
    "done_late",
    "duplicate_of_id",
    "feedback",
    "credit_organisation_id",
    "id",
]


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("会办")


class MatterUnit(models.Model):
    """A responsible unit of a matter with its share of the credit for closing it.

    Shares are stored, not inferred (docs/matters.md §2): a matter closed jointly by two
    units counts 0.5 to each. The active shares of a matter add up to 1.
    Visibility comes from the core RecordAssignment written alongside (lead → handler,
    co-handler → co_handler, read-only).
    """

    matter = models.ForeignKey(
        Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="units"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="matter_units",
        db_index=False,
    )  # led by the composite indexes below
    role = models.CharField(_("承办方式"), max_length=8, choices=UnitRole.choices)
    share = models.DecimalField(
        _("计分份额"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[
            MinValueValidator(Decimal("0"), _("计分份额不能为负数。")),
            MaxValueValidator(Decimal("1"), _("计分份额不能大于1。")),
        ],
    )
    due_on = models.DateField(
        _("本单位时限"), null=True, blank=True, help_text=_("如会办单位向主办单位提交意见的时限")
    )
    assignment = models.ForeignKey(
        "core.RecordAssignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    is_active = models.BooleanField(_("有效"), default=True)
    assigned_on = models.DateField(_("交办日期"))
    # copied from the matter (services keep them in step) so that a unit's overdue list is one
    # range of one index, however many matters the unit has had
    source = models.ForeignKey(
        "matters.Source",
        null=True,
        editable=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )  # never changes
    pending = models.BooleanField(_("待办"), default=True, editable=False)
    matter_due_on = models.DateField(_("事项时限"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        ordering = ["matter", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "organisation"],
                condition=Q(is_active=True),
                name="matters_unit_once_per_matter",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "is_active", "matter"]),
            models.Index(
                fields=["organisation", "matter_due_on"],
                condition=Q(is_active=True, pending=True),
                name="matters_unit_pending_due",
            ),
            # which units a campaign (or a batch) gave work to
            models.Index(
                fields=["source", "organisation"],
                condition=Q(is_active=True),
                name="matters_unit_source_org",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}({self.get_role_display()} {self.share})"


class MatterEvent(EventBase):
    """A step of a matter's life; `occurred_at` is when the act happened (its date)."""

    class Type(models.TextChoices):
        CREATED = "created", _("登记交办")
        IMPORTED = "imported", _("台账导入")
        UPDATED = "updated", _("修改")
        UNITS_CHANGED = "units_changed", _("调整责任单位")
        DEADLINE_CHANGED = "deadline_changed", _("调整时限")
        PROGRESS = "progress", _("报送进展")
        ATTACHMENT_ADDED = "attachment_added", _("添加附件")
        DUPLICATE_LINKED = "duplicate_linked", _("关联重复件")

    record = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(
        _("事件"), max_length=32, choices=[*Type.choices, *sorted(ALL_ACTIONS.items())]
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta(EventBase.Meta):
        verbose_name = _("交办事项事件")
        verbose_name_plural = _("交办事项事件")
