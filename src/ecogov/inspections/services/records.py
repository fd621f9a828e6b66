"""Inspection records: record, change, attach evidence, open a penalty case in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import findings
from ecogov.core import services as core_services
from ecogov.core.models import Organisation, OrganisationKind, StaffProfile
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.inspections import deadlines, events
from ecogov.inspections.models import (
    DrawCheck,
    DrawStatus,
    InspectionCounter,
    InspectionRecord,
    InspectionType,
    Outcome,
    Publication,
    PublicationKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.core.models import Attachment

RECORD_FIELDS = [
    "date",
    "entity",
    "type",
    "draw_check",
    "findings",
    "outcome",
    "substitution_reason",
]
EDITABLE_FIELDS = ["findings", "outcome", "substitution_reason"]


def number_prefix() -> str:
    """The bureau's short name + 检, e.g. 示环检 (the enforcement area numbers 示环罚)."""
    short = (
        Organisation.objects.filter(kind=OrganisationKind.BUREAU)
        .values_list("short_name", flat=True)
        .first()
    )
    return f"{short or '环'}检"


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def next_numbers(year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive numbers of a year (the counter row is locked meanwhile)."""
    InspectionCounter.objects.get_or_create(year=year)
    counter = InspectionCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    prefix = number_prefix()
    return [format_number(prefix, year, n) for n in range(first, first + count)]


def _name(user: User) -> str:
    return getattr(getattr(user, "staff", None), "full_name", "") or user.get_username()


def check_inspectors(inspectors: Sequence, day: dt.date) -> None:
    """At least two inspectors, each with an enforcement certificate valid on the day."""
    people = list(dict.fromkeys(inspectors))
    if len(people) < 2:
        raise ValidationError(
            {
                "inspectors": _(
                    "执法检查人员不得少于 2 人(行政处罚法第四十二条),本记录只填写了 %d 人。"
                )
                % len(people)
            }
        )
    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user__in=people)}
    bad = []
    for user in people:
        profile = profiles.get(user.pk)
        if profile is None or not profile.certificate_valid_on(day):
            expiry = profile.certificate_expiry if profile is not None else None
            why = (
                (_("有效期至 %s") % expiry)
                if profile and profile.certificate_number and expiry
                else _("未持执法证")
            )
            bad.append(f"{_name(user)}({why})")
    if bad:
        raise ValidationError(
            {
                "inspectors": _("以下人员在检查日期 %(day)s 没有有效的执法证:%(who)s。")
                % {"day": day, "who": "、".join(bad)}
            }
        )


def _check_random(record: InspectionRecord, inspectors: Sequence) -> None:
    check = (
        DrawCheck.objects.select_related("draw__plan", "entity")
        .filter(pk=record.draw_check_id)
        .first()
    )
    if check is None:
        raise ValidationError({"draw_check": _("抽取结果不存在。")})
    if check.draw.status != DrawStatus.ACTIVE:
        raise ValidationError({"draw_check": _("该抽取已被重新抽取取代,请选择有效抽取中的结果。")})
    if InspectionRecord.objects.filter(draw_check=check).exclude(pk=record.pk).exists():
        raise ValidationError({"draw_check": _("该抽取结果已有检查记录。")})
    if check.entity_id != record.entity_id:
        raise ValidationError(
            {"entity": _("抽取结果的对象是“%s”,与所填排污单位不一致。") % check.entity}
        )
    plan = check.draw.plan
    if not plan.period_start <= record.date <= plan.period_end:
        raise ValidationError(
            {
                "date": _(
                    "检查日期 %(day)s 不在抽查计划“%(plan)s”的检查期 %(start)s 至 %(end)s 内。"
                )
                % {
                    "day": record.date,
                    "plan": plan.name,
                    "start": plan.period_start,
                    "end": plan.period_end,
                }
            }
        )
    drawn = set(check.assignments.values_list("inspector_id", flat=True))
    if drawn != {u.pk for u in inspectors} and not record.substitution_reason.strip():
        raise ValidationError(
            {
                "substitution_reason": _(
                    "执法人员与抽取结果不一致,须填写人员变更理由(如回避、病假)。"
                )
            }
        )


def _validate(record: InspectionRecord, inspectors: Sequence, today: dt.date) -> None:
    if record.date and record.date > today:
        raise ValidationError({"date": _("检查日期 %s 晚于今天,不能预先登记。") % record.date})
    # uniqueness of the number and of the draw check are ours to keep (counter, _check_random)
    record.full_clean(exclude=["number", "recorded_by", "division"], validate_unique=False)
    check_inspectors(inspectors, record.date)
    if record.type == InspectionType.RANDOM:
        _check_random(record, inspectors)


def _result_publication(record: InspectionRecord) -> None:
    """Random checks' results are due on the portal (双随机、一公开)."""
    if record.type != InspectionType.RANDOM:
        return
    deadline = deadlines.result_due(record.date)
    Publication.objects.create(
        kind=PublicationKind.RESULT,
        inspection=record,
        division=record.division,
        title=_("%(entity)s 双随机抽查结果(%(no)s)")
        % {"entity": record.entity.name, "no": record.number},
        trigger_on=record.date,
        due_on=deadline.due,
        due_provisional=deadline.provisional,
    )


@transaction.atomic
def inspection_record(
    *, actor: User, data: dict[str, Any], inspectors: Sequence, now: dt.datetime | None = None
) -> InspectionRecord:
    now = now or timezone.now()
    record = InspectionRecord(
        **{k: v for k, v in data.items() if k in RECORD_FIELDS}, recorded_by=actor, recorded_at=now
    )
    if record.entity_id is None:
        raise ValidationError({"entity": _("请选择被检查的排污单位。")})
    if record.date is None:
        raise ValidationError({"date": _("请填写检查日期。")})
    record.division = record.entity.division
    if not can_create_in(actor, record.division):
        raise PermissionDenied(_("无权在“%s”登记检查记录:超出您的数据范围。") % record.division)
    if record.outcome == Outcome.CASE_OPENED:
        raise ValidationError(
            {"outcome": _("立案请在保存后使用“一键立案”,立案编号由处罚案件生成。")}
        )
    _validate(record, inspectors, timezone.localdate(now))
    record.number = next_numbers(record.date.year)[0]
    record.save()
    record.inspectors.set(inspectors)
    events.recorded_event(record=record, actor=actor)
    _result_publication(record)
    return record


def _locked(actor: User, record: InspectionRecord) -> InspectionRecord:
    if not can_edit(actor, record):
        raise PermissionDenied(
            _("无权修改检查记录 %s:超出您的数据范围或您只有查看权限。") % record.number
        )
    return InspectionRecord.objects.select_for_update().select_related("entity").get(pk=record.pk)


@transaction.atomic
def inspection_update(
    *,
    actor: User,
    record: InspectionRecord,
    data: dict[str, Any],
    inspectors: Sequence | None = None,
) -> InspectionRecord:
    record = _locked(actor, record)
    if Publication.objects.filter(inspection=record, published_on__isnull=False).exists():
        raise ValidationError({"__all__": _("检查结果已公开,不能再修改。")})
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    before = record.outcome
    if before == Outcome.CASE_OPENED and data.get("outcome", before) != before:
        raise ValidationError({"outcome": _("已立案的检查记录不能改为其他结论。")})
    if data.get("outcome") == Outcome.CASE_OPENED and before != Outcome.CASE_OPENED:
        raise ValidationError({"outcome": _("立案请使用“一键立案”,立案编号由处罚案件生成。")})
    changed = [k for k, v in data.items() if getattr(record, k) != v]
    for key in changed:
        setattr(record, key, data[key])
    people = list(inspectors) if inspectors is not None else list(record.inspectors.all())
    if inspectors is not None and {u.pk for u in people} != set(
        record.inspectors.values_list("pk", flat=True)
    ):
        changed.append("inspectors")
    if not changed:
        return record
    _validate(record, people, timezone.localdate())
    record.save()
    if "inspectors" in changed:
        record.inspectors.set(people)
    events.updated_event(record=record, actor=actor, changed=changed, from_state=before)
    return record


@transaction.atomic
def inspection_attach(
    *, actor: User, record: InspectionRecord, uploaded_file: UploadedFile, description: str = ""
) -> Attachment:
    """Evidence (photos, recordings, documents) with sha256, through core attachments."""
    attachment = core_services.attachment_add(
        actor=actor, record=record, uploaded_file=uploaded_file, description=description
    )
    events.attachment_added_event(record=record, actor=actor, attachment=attachment)
    return attachment


@transaction.atomic
def inspection_open_case(
    *,
    actor: User,
    record: InspectionRecord,
    facts: str,
    title: str = "",
    opened_on: dt.date | None = None,
    approved_by: User | None = None,
    opener_options: dict | None = None,
) -> Any:
    """An inspection found in violation opens a penalty case in one step (立案).

    The enforcement area numbers the case (through core.findings, so this area does not know it);
    this record keeps the case number and says "case opened". Both are written in one
    transaction: a refused case leaves the record as it was. `opener_options` go to the case
    opener unread (the enforcement demo's bulk writer).
    """
    record = _locked(actor, record)
    if record.outcome == Outcome.CASE_OPENED:
        raise ValidationError({"outcome": _("该检查记录已立案(%s)。") % record.case_number})
    if not (facts or "").strip():
        raise ValidationError({"facts": _("请填写违法事实。")})
    before = record.outcome
    case = findings.open_case(
        actor=actor,
        finding=findings.Finding(
            entity=record.entity,
            division=record.division,
            kind=record.type,
            reference=record.number,
            found_on=record.date,
            facts=facts.strip(),
            title=title,
            officers=tuple(record.inspectors.all()),
            opened_on=opened_on,
            approved_by=approved_by,
        ),
        **(opener_options or {}),
    )
    record.outcome = Outcome.CASE_OPENED
    record.case_number = case.number or ""
    record.save(update_fields=["outcome", "case_number"])
    events.case_opened_event(record=record, actor=actor, case=case, from_state=before)
    return case
