from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core import creditcode
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .base import EventBase, HistoryIPBase

# China's extreme points, rounded outwards (WGS-84).
LONGITUDE_RANGE = (Decimal("73.4"), Decimal("135.1"))
LATITUDE_RANGE = (Decimal("3.8"), Decimal("53.6"))


def validate_credit_code(value: str) -> None:
    try:
        creditcode.validate(value)
    except creditcode.CreditCodeError as exc:
        raise ValidationError(str(exc), code="credit_code") from exc


validate_industry_code = RegexValidator(
    r"^[A-T](\d{2}(\d(\d)?)?)?$",
    _("行业代码应符合 GB/T 4754:门类字母加2至4位数字,如 C2611。"),
)


class EntityStatus(models.TextChoices):
    OPERATING = "operating", _("在产")
    SUSPENDED = "suspended", _("停产")
    CLOSED = "closed", _("关闭")
    CANCELLED = "cancelled", _("注销")


class EntityCategory(models.TextChoices):
    """Category in the random-inspection entity pool (docs/inspections.md §2)."""

    KEY = "key", _("重点排污单位")
    ORDINARY = "ordinary", _("一般排污单位")
    SPECIAL = "special", _("特殊监管对象")


class RegulatedEntity(models.Model):
    name = models.CharField(_("单位名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("统一社会信用代码已登记:该单位已在系统中,请勿重复录入。")},
    )
    address = models.CharField(_("地址"), max_length=256, blank=True)
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="entities",
    )
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LONGITUDE_RANGE[0], _("经度超出中国范围(73.4—135.1)。")),
            MaxValueValidator(LONGITUDE_RANGE[1], _("经度超出中国范围(73.4—135.1)。")),
        ],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LATITUDE_RANGE[0], _("纬度超出中国范围(3.8—53.6)。")),
            MaxValueValidator(LATITUDE_RANGE[1], _("纬度超出中国范围(3.8—53.6)。")),
        ],
    )
    category = models.CharField(
        _("监管类别"),
        max_length=16,
        choices=EntityCategory.choices,
        default=EntityCategory.ORDINARY,
    )
    is_key_discharger = models.BooleanField(_("重点排污单位"), default=False)
    is_special_supervision = models.BooleanField(_("特殊监管对象"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=EntityStatus.choices, default=EntityStatus.OPERATING
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")
    # personal data, shown only to roles that handle the entity (ecogov.core.masking)
    personal_fields = {"legal_representative": "name", "contact_phone": "phone"}

    class Meta:
        verbose_name = _("排污单位")
        verbose_name_plural = _("排污单位")
        ordering = ["division__code", "name"]
        indexes = [models.Index(fields=["division", "status"])]

    def __str__(self):
        return self.name

    def clean(self):
        self.credit_code = creditcode.normalise(self.credit_code)
        if (self.longitude is None) != (self.latitude is None):
            raise ValidationError(_("经度和纬度须同时填写或同时留空。"))


class EntityEvent(EventBase):
    class Type(models.TextChoices):
        REGISTERED = "registered", _("登记")
        UPDATED = "updated", _("修改")
        STATUS_CHANGED = "status_changed", _("状态变更")
        IMPORTED = "imported", _("台账导入")
        ATTACHMENT_ADDED = "attachment_added", _("添加附件")

    record = models.ForeignKey(RegulatedEntity, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(EventBase.Meta):
        verbose_name = _("排污单位事件")
        verbose_name_plural = _("排污单位事件")
