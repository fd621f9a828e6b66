"""A draw as stored: the frozen pools (canonical document), seed, hashes, and its checks.

Nothing here is edited after the draw; `ecogov draw verify` recomputes the result from the
stored document and seed and compares it with these rows, so a row changed in the database
shows up as a difference.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.models import EntityCategory
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class DrawStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUPERSEDED = "superseded", _("已被重新抽取取代")


class Draw(models.Model):
    plan = models.ForeignKey(
        "inspections.Plan",
        verbose_name=_("抽查计划"),
        on_delete=models.PROTECT,
        related_name="draws",
    )
    number = models.PositiveSmallIntegerField(_("第几次抽取"))
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("检查范围(区划)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    seed = models.OneToOneField(
        "inspections.Seed",
        verbose_name=_("随机种子"),
        on_delete=models.PROTECT,
        related_name="draw",
    )
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection_date = models.DateField(_("执法证核验日"))
    algorithm_version = models.CharField(_("算法版本"), max_length=32)
    input_document = models.BinaryField(_("冻结的名录库与计划(规范文档)"))
    input_hash = models.CharField(_("输入哈希(SHA-256)"), max_length=64)
    result_hash = models.CharField(_("结果哈希(SHA-256)"), max_length=64)
    tallies = models.JSONField(_("各类别范围内数量与抽取数量"), default=list)
    entity_pool_size = models.PositiveIntegerField(_("对象名录库(家)"))
    inspector_pool_size = models.PositiveIntegerField(_("执法人员名录库(人)"))
    conflict_count = models.PositiveIntegerField(_("回避申报(条)"), default=0)
    skipped_compliant_count = models.PositiveIntegerField(
        _("本年度已抽查无问题而未入库(家)"),
        default=0,
        help_text=_("按计划设定,本年度双随机抽查未发现问题的一般排污单位不进入本次名录库。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=DrawStatus.choices,
        default=DrawStatus.ACTIVE,
        db_index=True,
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("取代的抽取"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    redraw_reason = models.TextField(_("重新抽取理由"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("抽取")
        verbose_name_plural = _("抽取记录")
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="inspections_draw_number_per_plan"
            )
        ]

    def __str__(self):
        return _("%(plan)s 第%(n)d次抽取") % {"plan": self.plan, "n": self.number}


class DrawCheck(models.Model):
    """One drawn entity, in the engine's order (category, rank)."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="checks")
    category = models.CharField(_("监管类别"), max_length=16)
    rank = models.PositiveIntegerField(_("抽取顺位"))
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DrawAssignment",
        related_name="+",
        verbose_name=_("执法人员"),
    )
    # The entity's check in the latest draw in force: rotation reads these alone, so freezing
    # a pool costs the pool's size, not the years of draws behind it (services.draws keeps it).
    is_latest = models.BooleanField(_("该对象最近一次有效抽取"), default=False, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("抽取结果")
        verbose_name_plural = _("抽取结果")
        ordering = ["draw", "category", "rank"]
        indexes = [
            models.Index(
                fields=["entity"],
                condition=models.Q(is_latest=True),
                name="inspections_check_latest",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "category", "rank"], name="inspections_check_rank"
            ),
            models.UniqueConstraint(fields=["draw", "entity"], name="inspections_check_entity"),
        ]

    def __str__(self):
        category = dict(EntityCategory.choices).get(self.category, self.category)
        return f"{self.draw} {category}第{self.rank}名 {self.entity}"


class DrawAssignment(models.Model):
    """An inspector drawn for a check, at his position in the engine's output."""

    draw_check = models.ForeignKey(DrawCheck, on_delete=models.PROTECT, related_name="assignments")
    position = models.PositiveSmallIntegerField(_("顺序"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("抽取的执法人员")
        verbose_name_plural = _("抽取的执法人员")
        ordering = ["draw_check", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw_check", "position"], name="inspections_assignment_position"
            )
        ]
