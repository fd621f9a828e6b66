"""From a lead to an opened case and its investigation; the early endings; edits,
amendments and documents (every one of them recorded in the case's chain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core import services as core_services
from ecogov.core.dates import add_years
from ecogov.core.fields import EncryptedCharField
from ecogov.core.masking import MASKERS
from ecogov.core.models import Division, Organisation, RegulatedEntity
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_create_in
from ecogov.enforcement import events, numbering
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import open_deadline, refresh_step
from ecogov.enforcement.models import (
    CaseEvent,
    CaseSource,
    PartyKind,
    PenaltyCase,
)
from ecogov.enforcement.workflow import CaseState

from .common import (
    action_label,
    advance,
    check_date,
    ensure_handler,
    ensure_role,
    jsonable,
    lock,
    person,
    require,
    required_text,
    today,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.core.findings import Finding
    from ecogov.core.models import Attachment


PARTY_FIELDS = [
    "party_kind",
    "party_name",
    "party_id_number",
    "party_representative",
    "party_phone",
    "party_address",
]
# What may be edited while the case runs, and corrected (with a reason) once it has ended.
EDITABLE_FIELDS = [
    "title",
    "facts",
    *PARTY_FIELDS,
    "violation_ended_on",
    "is_complex",
    "major_public_interest",
]
AMENDABLE_FIELDS = ["title", "facts", *PARTY_FIELDS, "decision_text", "ending_reason"]


@transaction.atomic
def case_register_lead(
    *,
    actor: User,
    entity: RegulatedEntity | None = None,
    division: Division | None = None,
    source: str,
    facts: str,
    title: str = "",
    found_on: dt.date | None = None,
    inspection_ref: str = "",
    officers: Sequence = (),
    organisation: Organisation | None = None,
    violation_ended_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
    **party: Any,
) -> PenaltyCase:
    """A clue (线索) to be checked; the case is opened (and numbered) later or not at all."""
    division = division or (entity.division if entity is not None else None)
    if division is None:
        raise ValidationError({"division": _("请填写案件所在行政区划。")})
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”登记案件:超出您的数据范围。") % {"division": division.name}
        )
    if source not in CaseSource.values:
        raise ValidationError({"source": _("未知的案件来源“%s”。") % source})
    facts = required_text(facts, "facts", _("请填写违法事实。"))
    unknown = set(party) - set(PARTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    if entity is not None:
        party = {
            "party_kind": PartyKind.ORGANISATION,
            "party_name": entity.name,
            "party_id_number": entity.credit_code,
            "party_representative": entity.legal_representative,
            "party_phone": entity.contact_phone,
            "party_address": entity.address,
            **party,
        }
    if not party.get("party_name"):
        raise ValidationError({"party_name": _("请填写当事人,或选择排污单位。")})
    profile = getattr(actor, "staff", None)
    organisation = organisation or (profile.organisation if profile else None)
    if organisation is None:
        raise ValidationError({"organisation": _("请填写承办机构。")})
    case = PenaltyCase(
        title=(title or facts[:40]).strip(),
        source=source,
        inspection_ref=inspection_ref,
        entity=entity,
        division=division,
        organisation=organisation,
        facts=facts,
        found_on=found_on or today(),
        violation_ended_on=violation_ended_on,
        state=CaseState.LEAD,
        **party,
    )
    check_date(case, case.found_on, field="found_on", label=_("发现线索"))
    case.last_step_on = case.found_on
    refresh_step(case, writer.policy())
    case.full_clean(exclude=["number"])
    writer.save(case)
    if officers:
        case.officers.set(officers)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.LEAD_REGISTERED,
        on=case.found_on,
        to_state=case.state,
        payload=jsonable(
            {
                "source": source,
                "inspection_ref": inspection_ref,
                "officers": [u.pk for u in officers],
                "open_due": case.step_due,
            }
        ),
    )
    return case


@transaction.atomic
def case_open(
    *,
    actor: User,
    entity: RegulatedEntity | None = None,
    division: Division | None = None,
    source: str,
    facts: str,
    inspection_ref: str = "",
    title: str = "",
    found_on: dt.date | None = None,
    opened_on: dt.date | None = None,
    officers: Sequence = (),
    organisation: Organisation | None = None,
    violation_ended_on: dt.date | None = None,
    approved_by: User | None = None,
    writer: CaseWriter = DIRECT,
    **party: Any,
) -> PenaltyCase:
    """Open a case in one step (e.g. from an inspection found in violation): the lead is
    registered and opened, and the case gets its number. Returns the opened case."""
    case = case_register_lead(
        writer=writer,
        actor=actor,
        entity=entity,
        division=division,
        source=source,
        facts=facts,
        title=title,
        found_on=found_on or opened_on,
        inspection_ref=inspection_ref,
        officers=officers,
        organisation=organisation,
        violation_ended_on=violation_ended_on,
        **party,
    )
    return case_open_lead(
        writer=writer, actor=actor, case=case, opened_on=opened_on, approved_by=approved_by
    )


# The case source an inspection's kind gives (core.findings); a special campaign is the default.
FINDING_SOURCES = {
    "random": CaseSource.RANDOM_INSPECTION,
    "complaint": CaseSource.COMPLAINT,
    "daily": CaseSource.OTHER,
}


def case_open_for_finding(
    *, actor: User, finding: Finding, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    """core.findings' case opener: an inspection found in violation opens its case."""
    return case_open(
        writer=writer,
        actor=actor,
        entity=finding.entity,
        division=finding.division,
        source=FINDING_SOURCES.get(finding.kind, CaseSource.SPECIAL_INSPECTION),
        facts=finding.facts,
        title=finding.title,
        inspection_ref=finding.reference,
        found_on=finding.found_on,
        opened_on=finding.opened_on,
        officers=list(finding.officers),
        approved_by=finding.approved_by,
    )


@transaction.atomic
def case_open_lead(
    *,
    actor: User,
    case: PenaltyCase,
    opened_on: dt.date | None = None,
    approved_by: User | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """立案: the case gets its number (示环罚〔2020〕12号) from the per-year counter."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "open")
    opened_on = check_date(case, opened_on, field="opened_on", label=_("立案"))
    if approved_by is not None and not has_role(approved_by, Role.LEADER):
        raise ValidationError(
            {"approved_by": _("立案须经局负责人批准,%s不是局负责人。") % person(approved_by)}
        )
    policy = writer.policy()
    if case.violation_ended_on is not None:
        limit = add_years(case.violation_ended_on, policy.limitation_years)
        if case.found_on > limit:
            raise ValidationError(
                {
                    "violation_ended_on": _(
                        "违法行为终了于%(end)s,至发现时(%(found)s)已超过%(years)d年,依法不再给予行政处罚"
                        "(行政处罚法第三十六条),应不予立案。"
                    )
                    % {
                        "end": case.violation_ended_on.isoformat(),
                        "found": case.found_on.isoformat(),
                        "years": policy.limitation_years,
                    }
                }
            )
    due = open_deadline(case.found_on, policy)
    case.number, case.number_seq = numbering.allocate(policy.number_prefix, opened_on.year)
    case.number_prefix, case.number_year = policy.number_prefix, opened_on.year
    case.opened_on = opened_on
    advance(
        case,
        writer=writer,
        actor=actor,
        action="open",
        event_type=CaseEvent.Type.OPENED,
        on=opened_on,
        policy=policy,
        payload={
            "number": case.number,
            "open_due": due.due,
            "late": opened_on > due.due,
            "approved_by": approved_by,
        },
    )
    return case


@transaction.atomic
def case_not_open(
    *,
    actor: User,
    case: PenaltyCase,
    reason: str,
    on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("不予立案"))
    require(case, "not_open")
    reason = required_text(reason, "reason", _("不予立案须说明理由。"))
    case.closed_on = check_date(case, on, field="on", label=_("不予立案"))
    case.ending_reason = reason
    advance(
        case,
        writer=writer,
        actor=actor,
        action="not_open",
        event_type=CaseEvent.Type.NOT_OPENED,
        on=case.closed_on,
        reason=reason,
    )
    return case


def _certified(officers: Iterable[User], day: dt.date) -> list:
    return [
        u
        for u in officers
        if getattr(u, "staff", None) is not None and u.staff.certificate_valid_on(day)
    ]


def check_officers(case: PenaltyCase, officers: Iterable[User], day: dt.date) -> None:
    """APL arts. 42, 55: at least two officers holding a valid enforcement certificate."""
    certified = _certified(officers, day)
    if len(certified) < 2:
        names = "、".join(person(u) for u in certified) or _("无")
        raise ValidationError(
            {
                "officers": _(
                    "调查取证须由两名以上持有效执法证的执法人员进行(行政处罚法第四十二条);"
                    "本案在%(day)s持有效执法证的执法人员:%(names)s。"
                )
                % {"day": day.isoformat(), "names": names}
            }
        )


@transaction.atomic
def case_investigate(
    *, actor: User, case: PenaltyCase, on: dt.date | None = None, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "investigate")
    on = check_date(case, on, field="on", label=_("开始调查"))
    check_officers(case, list(case.officers.select_related("staff")), on)
    case.investigation_started_on = on
    advance(
        case,
        writer=writer,
        actor=actor,
        action="investigate",
        event_type=CaseEvent.Type.INVESTIGATION_STARTED,
        on=on,
    )
    return case


@transaction.atomic
def case_set_officers(
    *,
    actor: User,
    case: PenaltyCase,
    officers: Sequence,
    reason: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "set_officers")
    if case.state not in (CaseState.LEAD, CaseState.OPENED):
        check_officers(case, officers, today())
    before = sorted(case.officers.values_list("pk", flat=True))
    case.officers.set(officers)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.OFFICERS_SET,
        reason=reason,
        payload={"before": before, "after": sorted(u.pk for u in officers)},
    )
    return case


def _end_early(
    *,
    actor: User,
    case: PenaltyCase,
    action: str,
    event_type: str,
    on: dt.date | None,
    reason: str,
    extra: dict | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case.closed_on = check_date(case, on, field="on", label=action_label(action))
    case.ending_reason = reason
    advance(
        case,
        writer=writer,
        actor=actor,
        action=action,
        event_type=event_type,
        on=case.closed_on,
        reason=reason,
        payload=extra or {},
    )
    return case


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    case: PenaltyCase,
    to: str,
    reason: str,
    on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """移送 the case to the police or the judicial organs (it ends here)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "transfer")
    to = required_text(to, "to", _("请填写移送机关。"))
    reason = required_text(reason, "reason", _("移送须说明理由。"))
    return _end_early(
        writer=writer,
        actor=actor,
        case=case,
        action="transfer",
        event_type=CaseEvent.Type.TRANSFERRED,
        on=on,
        reason=reason,
        extra={"to": to},
    )


@transaction.atomic
def case_withdraw(
    *,
    actor: User,
    case: PenaltyCase,
    reason: str,
    on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """撤销立案, approved by the bureau head."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("撤销立案"))
    require(case, "withdraw")
    reason = required_text(reason, "reason", _("撤销立案须说明理由。"))
    return _end_early(
        writer=writer,
        actor=actor,
        case=case,
        action="withdraw",
        event_type=CaseEvent.Type.WITHDRAWN,
        on=on,
        reason=reason,
    )


def _change_payload(changes: dict) -> dict:
    """Before and after of each changed field for the case's record; the party's encrypted
    personal data masked (never in the event tables or logs in clear: docs/security.md)."""
    kinds = {"party_name": "name", **PenaltyCase.personal_fields}
    payload = {}
    for name, (old, new) in changes.items():
        if isinstance(PenaltyCase._meta.get_field(name), EncryptedCharField):
            mask = MASKERS[kinds[name]]
            payload[name] = {"before": mask(old or ""), "after": mask(new or ""), "masked": True}
        else:
            payload[name] = {"before": old, "after": new}
    return jsonable(payload)


def _changes(case: PenaltyCase, data: dict, allowed: list[str]) -> dict:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("该字段不允许在此修改。") for name in sorted(unknown)})
    return {k: (getattr(case, k), v) for k, v in data.items() if getattr(case, k) != v}


@transaction.atomic
def case_update(
    *, actor: User, case: PenaltyCase, data: dict, reason: str = "", writer: CaseWriter = DIRECT
) -> PenaltyCase:
    """Edit a running case's facts and party; refused once the case has ended."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "update")
    changes = _changes(case, data, EDITABLE_FIELDS)
    if changes:
        for name, (_old, new) in changes.items():
            setattr(case, name, new)
        case.full_clean(exclude=["number"])
        writer.save(case)
        events.append(
            case,
            writer=writer,
            actor=actor,
            type=CaseEvent.Type.UPDATED,
            reason=reason,
            payload=_change_payload(changes),
        )
    return case


@transaction.atomic
def case_amend(
    *, actor: User, case: PenaltyCase, data: dict, reason: str, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    """Correct an ended case: the only way to change it, with the reason on record."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "amend")
    reason = required_text(reason, "reason", _("更正已办结的案件须说明理由。"))
    changes = _changes(case, data, AMENDABLE_FIELDS)
    if not changes:
        raise ValidationError(_("没有需要更正的内容。"))
    for name, (_old, new) in changes.items():
        setattr(case, name, new)
    case.full_clean(exclude=["number"])
    writer.save(case)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.AMENDED,
        reason=reason,
        payload=_change_payload(changes),
    )
    return case


@transaction.atomic
def case_attach(
    *,
    actor: User,
    case: PenaltyCase,
    uploaded_file: UploadedFile,
    step: str = "",
    description: str = "",
    reason: str = "",
    writer: CaseWriter = DIRECT,
) -> Attachment:
    """Add a document, photo, audio or video to the case file (sha256 kept, chained)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    if case.is_terminal:
        reason = required_text(reason, "reason", _("案件已办结,补充材料属于更正,须说明理由。"))
    attachment = core_services.attachment_add(
        actor=actor, record=case, uploaded_file=uploaded_file, description=description
    )
    events.attachment_added_event(
        case,
        writer=writer,
        actor=actor,
        attachment=attachment,
        step=step or case.state,
        reason=reason,
    )
    return attachment
