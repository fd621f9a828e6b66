from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.chains import GENESIS_HASH, canonical_json, link_hash


class SecurityEvent(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账户锁定")
    LOGOUT = "logout", _("退出")
    PERMISSION_DENIED = "permission_denied", _("越权访问被拒绝")
    EXPORT = "export", _("数据导出")
    ROLES_CHANGED = "roles_changed", _("角色变更")
    POLICY_CHANGED = "policy_changed", _("安全策略变更")
    CHAIN_ANCHORED = "chain_anchored", _("哈希链锚定")
    ACCOUNT_CREATED = "account_created", _("创建账户")
    ACCOUNT_CHANGED = "account_changed", _("账户信息变更")
    ACCOUNT_ACTIVATED = "account_activated", _("启用账户")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("停用账户")
    PASSWORD_CHANGED = "password_changed", _("本人修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    RESET_REQUESTED = "reset_requested", _("申请重置管理员密码")
    RESET_REJECTED = "reset_rejected", _("驳回密码重置申请")
    BACKUP = "backup", _("数据备份")
    RESTORE = "restore", _("从备份恢复")
    CALENDAR_ENTERED = "calendar_entered", _("录入节假日安排")
    TOKEN_ISSUED = "token_issued", _("签发接口令牌")
    TOKEN_REVOKED = "token_revoked", _("吊销接口令牌")
    TOKEN_USED = "token_used", _("使用接口令牌")
    TOKEN_REFUSED = "token_refused", _("接口令牌被拒绝")


class AuditLogEntry(models.Model):
    """Append-only security log; each entry's hash covers its fields and the previous hash,
    keyed with the chain key (ecogov.core.chains.link_hash).

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
        return canonical_json(body)

    def compute_hash(self) -> str:
        return link_hash(self.prev_hash, self.canonical())

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


class ChainAnchor(models.Model):
    """A signed record of the chain heads at one moment (`ecogov audit anchor`, daily).

    Each anchor lists the heads that moved since the previous one (`heads`) and the previous
    anchor's hash, so an anchor kept outside the system vouches for every anchor before it and
    through them for every row anchored: a chain rewritten before it no longer matches, even
    by someone holding the chain key. `hash` = sha256 of the canonical body, `signature` =
    HMAC of the hash with a key derived from the chain key (ecogov.core.anchors).
    """

    seq = models.PositiveIntegerField(_("锚点序号"), unique=True)
    day = models.DateField(_("日期"))
    made_at = models.DateTimeField(_("生成时间"))
    made_by = models.CharField(_("生成者"), max_length=150, blank=True)
    prev_hash = models.CharField(_("前一锚点哈希"), max_length=64)
    hash = models.CharField(_("锚点哈希"), max_length=64)
    signature = models.CharField(_("签名"), max_length=64)

    class Meta:
        verbose_name = _("哈希链锚点")
        verbose_name_plural = _("哈希链锚点")
        ordering = ["-seq"]

    def __str__(self):
        return f"#{self.seq} {self.day.isoformat()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("chain anchors are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("chain anchors are append-only")


class ChainAnchorHead(models.Model):
    """One chain's head in an anchor: the chain kind (`audit`, `enforcement.cases`), which
    chain of that kind (`log`, a case's id), its length and the hash of its last row then."""

    anchor = models.ForeignKey(
        ChainAnchor, verbose_name=_("锚点"), on_delete=models.PROTECT, related_name="heads"
    )
    chain = models.CharField(_("链"), max_length=64)
    link = models.CharField(_("链内编号"), max_length=64)
    position = models.PositiveBigIntegerField(_("链头位置"))
    hash = models.CharField(_("链头哈希"), max_length=64)

    class Meta:
        verbose_name = _("锚定的链头")
        verbose_name_plural = _("锚定的链头")
        ordering = ["chain", "id"]
        constraints = [
            models.UniqueConstraint(fields=["anchor", "chain", "link"], name="anchor_head_once")
        ]
        # a case's latest anchored head: one index lookup (ecogov.enforcement.chain.verify_case)
        indexes = [models.Index(fields=["chain", "link", "anchor"], name="anchor_head_by_link")]

    def __str__(self):
        return f"{self.chain}:{self.link}@{self.position}"
