"""Every state change of the core registry. The only writer: checks rules and scope, writes, records.

Conventions (HackSoft styleguide): `<entity>_<action>(*, actor, …)`, atomic, raising
`ValidationError` (Chinese message naming the field) or `PermissionDenied`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from ecogov.core import accounts, anchors, audit, events, fastinsert, uploads
from ecogov.core.models import (
    AssignmentRole,
    Attachment,
    ChainAnchor,
    Division,
    Organisation,
    RecordAssignment,
    RegulatedEntity,
    SecurityEvent,
    StaffProfile,
)
from ecogov.core.roles import ADMIN_ROLES, Role, has_role, roles_of
from ecogov.core.scoping import can_create_in, can_edit, can_view

if TYPE_CHECKING:
    from django.db.models import QuerySet


def required_text(value: str, field: str, message: str) -> str:
    """A text the act cannot do without (a reason, an opinion): stripped, or refused naming the
    field."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def model_update(
    *, instance: Model, data: dict[str, Any], fields: list[str] | None = None
) -> list[str]:
    """The one generic edit path: set the given fields, validate the whole record, save.

    Returns the names of the fields that actually changed.
    """
    allowed = fields if fields is not None else list(data)
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    changed = []
    for name in allowed:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    if changed:
        instance.full_clean()
        instance.save()
    return changed


# --- regulated entities --------------------------------------------------------------------
ENTITY_FIELDS = [
    "name",
    "credit_code",
    "address",
    "division",
    "industry_code",
    "longitude",
    "latitude",
    "category",
    "is_key_discharger",
    "is_special_supervision",
    "status",
    "legal_representative",
    "contact_phone",
]


def _ensure_division_in_scope(actor: User, division: Division) -> None:
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”登记或修改记录:超出您的数据范围。") % {"division": division}
        )


@transaction.atomic
def entity_create(
    *, actor: User, data: dict[str, Any], event: str = "registered"
) -> RegulatedEntity:
    entity = RegulatedEntity(**{k: v for k, v in data.items() if k in ENTITY_FIELDS})
    if entity.division_id is None:
        raise ValidationError({"division": _("请填写行政区划。")})
    _ensure_division_in_scope(actor, entity.division)
    entity.full_clean()
    entity.save()
    if event == "imported":
        events.entity_imported_event(entity=entity, actor=actor, source=data.get("_source", ""))
    else:
        events.entity_registered_event(entity=entity, actor=actor)
    return entity


@transaction.atomic
def entity_update(
    *, actor: User, entity: RegulatedEntity, data: dict[str, Any], reason: str = ""
) -> RegulatedEntity:
    if not can_edit(actor, entity):
        raise PermissionDenied(_("无权修改该排污单位:超出您的数据范围或您只有查看权限。"))
    entity = RegulatedEntity.objects.select_for_update().get(pk=entity.pk)
    old_status = entity.status
    changed = model_update(instance=entity, data=data, fields=ENTITY_FIELDS)
    if "division" in changed:
        _ensure_division_in_scope(actor, entity.division)
    if "status" in changed:
        events.entity_status_changed_event(
            entity=entity, actor=actor, from_state=old_status, reason=reason
        )
    other = [name for name in changed if name != "status"]
    if other:
        events.entity_updated_event(entity=entity, actor=actor, changed=other)
    return entity


# --- attachments ---------------------------------------------------------------------------
@transaction.atomic
def attachment_add(
    *, actor: User, record: Model, uploaded_file: UploadedFile, description: str = ""
) -> Attachment:
    if not can_edit(actor, record):
        raise PermissionDenied(_("无权为该记录添加附件。"))
    inspected = uploads.check_upload(uploaded_file, purpose="attachment")
    name = inspected.name
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    # Django's upload handlers (request.FILES, every caller here) always set the size
    assert uploaded_file.size is not None
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        original_name=name,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
        media_type=inspected.media_type,  # by content, not what the client claimed
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save(name, uploaded_file, save=False)
    attachment.save()
    if isinstance(record, RegulatedEntity):
        events.entity_attachment_added_event(entity=record, actor=actor, attachment=attachment)
    return attachment


def attachment_verify(attachment: Attachment) -> bool:
    """Whether the stored file still has the hash recorded at upload."""
    digest = hashlib.sha256()
    with attachment.file.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest() == attachment.sha256


def attachment_for_download(*, actor: User, pk: int) -> Attachment:
    """The attachment `pk` if `actor` may see its record; one PermissionDenied for "not found or
    not yours" (docs/security.md, "上传与下载")."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    record = attachment.record if attachment is not None else None
    if attachment is None or record is None or not can_view(actor, record):
        raise PermissionDenied(_("附件不存在,或不在您的数据范围内。"))
    return attachment


def attachments_of(*, actor: User, record: Model) -> QuerySet[Attachment]:
    if not can_view(actor, record):
        raise PermissionDenied(_("无权查看该记录。"))
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


# --- assignments (cross-unit handoffs) -----------------------------------------------------
@transaction.atomic
def record_assign(
    *,
    actor: User,
    record: Model,
    role: str,
    organisation: Organisation | None = None,
    user: User | None = None,
    reason: str = "",
) -> RecordAssignment:
    if not can_edit(actor, record):
        raise PermissionDenied(_("只有能办理该记录的人员才能交办。"))
    assignment = RecordAssignment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        organisation=organisation,
        user=user,
        role=AssignmentRole(role),
        reason=reason,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def record_assign_many(*, actor: User, model: type[Model], rows: list[dict]) -> list[int]:
    """Many assignments at once, for records a bulk writer has just made (a ledger import's):
    each row `{"object_id", "organisation_id" or "user_id", "role", "reason"}`; the rows and
    their history written in bulk (core/fastinsert.py), their ids returned in order. The caller
    has checked once that the actor may edit every record (an import checks its territory for
    all its rows: `record_assign` checks each record, ~1 ms a row)."""
    if not rows:
        return []
    content_type_id = ContentType.objects.get_for_model(model).pk
    signed_in = events.signed_in_user(actor)
    created_by = getattr(signed_in, "pk", None)
    assignments = [
        {
            "content_type_id": content_type_id,
            "object_id": row["object_id"],
            "organisation_id": row.get("organisation_id"),
            "user_id": row.get("user_id"),
            "role": AssignmentRole(row["role"]).value,
            "reason": row.get("reason", ""),
            "created_by_id": created_by,
        }
        for row in rows
    ]
    ids = fastinsert.insert_new(RecordAssignment, assignments)
    fastinsert.insert_history(RecordAssignment, assignments, user=signed_in)
    return ids


@transaction.atomic
def record_unassign(*, actor: User, assignment: RecordAssignment) -> None:
    if not can_edit(actor, assignment.record):
        raise PermissionDenied(_("只有能办理该记录的人员才能撤回交办。"))
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])


# --- staff and roles -----------------------------------------------------------------------
def _check_role_combination(roles: set[str]) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("未知角色:%s") % "、".join(sorted(unknown))})
    admin = roles & ADMIN_ROLES
    if len(admin) > 1 or (admin and roles - admin):
        raise ValidationError(
            {
                "roles": _(
                    "三权分立:系统管理员、安全管理员、审计管理员三个角色必须分设,不能兼任,也不能兼任业务角色。"
                )
            }
        )


@transaction.atomic
def staff_set_roles(*, actor: User, user: User, roles: set[str], installing: bool = False) -> None:
    """Give a user exactly these roles.

    The three administrator roles are assigned only at installation (`ecogov createadmin`),
    so that the system administrator cannot make himself or a friend the auditor.
    """
    roles = {str(r) for r in roles}
    _check_role_combination(roles)
    if not installing:
        if not (actor.is_superuser or Role.SYSTEM_ADMIN in roles_of(actor)):
            raise PermissionDenied(_("只有系统管理员可以分配角色。"))
        touched = (roles | roles_of(user)) & ADMIN_ROLES
        if touched:
            raise PermissionDenied(
                _("管理员角色只能在安装时通过命令行分配,不能在系统内授予或撤销。")
            )
        if user.pk == actor.pk:
            raise PermissionDenied(_("不能修改自己的角色。"))
        accounts.ensure_may_manage(actor, user)  # the leader's account is not his either
    if user.is_superuser and not installing:
        raise PermissionDenied(_("不能在系统内修改超级用户。"))
    before = sorted(roles_of(user))
    user.groups.set(Group.objects.filter(name__in=roles))
    for attr in ("_ecogov_roles", "_ecogov_scope"):
        user.__dict__.pop(attr, None)
    audit.record(
        SecurityEvent.ROLES_CHANGED,
        username=actor.get_username() if actor else "",
        detail={"user": user.get_username(), "before": before, "after": sorted(roles)},
    )


@transaction.atomic
def staff_profile_save(*, actor: User, profile: StaffProfile) -> StaffProfile:
    if not (actor.is_superuser or Role.SYSTEM_ADMIN in roles_of(actor)):
        raise PermissionDenied(_("只有系统管理员可以维护工作人员信息。"))
    if profile.user_id is not None:
        accounts.ensure_may_manage(actor, profile.user)
    profile.full_clean()
    profile.save()
    profile.user.__dict__.pop("_ecogov_scope", None)
    return profile


def record_export(*, actor: User, what: str, count: int, fmt: str = "xlsx") -> None:
    audit.record(
        SecurityEvent.EXPORT,
        username=actor.get_username(),
        detail={"what": what, "rows": count, "format": fmt},
    )


def _check_audit_admin(actor: User | None) -> None:
    if actor is not None and not (actor.is_superuser or has_role(actor, Role.AUDIT_ADMIN)):
        raise PermissionDenied(_("只有审计管理员可以生成或导出哈希链锚点。"))


@transaction.atomic
def anchor_make(*, actor: User | None = None) -> ChainAnchor:
    """Sign the chain heads that moved since the last anchor (docs/security.md). `actor` None:
    the scheduled `ecogov audit anchor`; otherwise the audit administrator in the back office.
    Refused (ValidationError naming the problem) while a chain or an earlier anchor is broken."""
    _check_audit_admin(actor)
    anchor = anchors.make(made_by=actor.get_username() if actor is not None else "")
    audit.record(
        SecurityEvent.CHAIN_ANCHORED,
        username=actor.get_username() if actor is not None else "",
        detail={"anchor": anchor.seq, "hash": anchor.hash, "heads": anchor.heads.count()},
    )
    return anchor


def anchor_export(*, actor: User, anchor: ChainAnchor) -> bytes:
    """The anchor as the signed JSON text to keep outside the system; the export is logged."""
    _check_audit_admin(actor)
    content = anchors.export(anchor)
    record_export(actor=actor, what="chain_anchor", count=1, fmt="json")
    return content
