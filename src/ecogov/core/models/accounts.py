"""Account credentials: the must-change flag after a reset, and the two-person reset requests.

Written only by `ecogov.core.accounts` (the account services); see docs/security.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordState(models.Model):
    """Whether the user must set a new password before anything else (after a reset)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="password_state",
    )
    must_change = models.BooleanField(_("下次登录须修改密码"), default=False)
    changed_at = models.DateTimeField(_("最近一次设置密码"), null=True, blank=True)

    class Meta:
        verbose_name = _("密码状态")
        verbose_name_plural = _("密码状态")

    def __str__(self):
        return str(self.user)


class ResetState(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class CredentialResetRequest(models.Model):
    """An administrator's (or the leader's) password reset, asked by one administrator and
    approved by another (two-person rule); the approval sets a temporary password."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被重置的账户"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=16, choices=ResetState.choices, default=ResetState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("管理员密码重置申请")
        verbose_name_plural = _("管理员密码重置申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(state="pending"),
                name="core_one_pending_reset_per_account",
            )
        ]

    def __str__(self):
        return _("%(account)s 的密码重置申请") % {"account": self.account}


class ApiToken(models.Model):
    """Another system's key to the API (e.g. the provincial platform pulling permits): issued by
    the system administrator to a named system's account, whose roles and territory are the
    token's permissions and scope; read-only unless `can_write`; expiring; revocable. Only the
    key's SHA-256 is kept (the key is shown once). Every use is a security-log row."""

    name = models.CharField(_("系统名称"), max_length=100)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账户"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_("令牌以该账户的角色和数据范围访问接口。"),
    )
    key_prefix = models.CharField(_("令牌前缀"), max_length=8)
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    can_write = models.BooleanField(_("可写"), default=False)
    expires_on = models.DateField(_("有效期至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name}({self.key_prefix}…)"
