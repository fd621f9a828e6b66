import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账户锁定")
    LOGOUT = "logout", _("退出")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒绝")
    EXPORT = "export", _("数据导出")
    ROLES_CHANGED = "roles_changed", _("角色变更")
    POLICY_CHANGED = "policy_changed", _("安全策略变更")
    ACCOUNT_CREATED = "account_created", _("创建账户")
    ACCOUNT_CHANGED = "account_changed", _("账户信息变更")
    ACCOUNT_ACTIVATED = "account_activated", _("启用账户")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("停用账户")
    PASSWORD_CHANGED = "password_changed", _("本人修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    RESET_REQUESTED = "reset_requested", _("申请重置管理员密码")
    RESET_REJECTED = "reset_rejected", _("驳回密码重置申请")


GENESIS_HASH = "0" * 64


class AuditLogEntry(models.Model):
    """Append-only security log; each entry's hash covers its fields and the previous hash.

    Written only by `ecogov.core.audit.record`; `ecogov audit verify` recomputes the chain.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    event = models.CharField(_("事件"), max_length=32, choices=SecurityEvent.choices)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    path = models.CharField(_("访问路径"), max_length=512, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-seq"]

    def __str__(self):
        return f"#{self.seq} {self.get_event_display()} {self.username}"

    def canonical(self) -> bytes:
        body = {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "event": self.event,
            "username": self.username,
            "ip_address": self.ip_address or "",
            "path": self.path,
            "detail": self.detail,
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev_hash.encode() + self.canonical()).hexdigest()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("the audit log is append-only")


class AuditChainHead(models.Model):
    """The last entry's seq and hash, so that cutting off the tail is caught too."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
