"""Penalty cases for `ecogov synth` (ecogov.core.synth), through all their states.

Each case walks the ordinary life (lead → opened → investigating → notified → [hearing] →
legal review → reviewed → [collective discussion] → decided → served → disclosed →
executing → closed), one event a step, until its next step would fall after the last data
day: older cases are closed, recent ones stand at every step. Side endings: not opened (3 %),
transferred (2 %), withdrawn (1 %), no penalty (4 %), decision revoked (1 %). Penalties are
mostly fines (about 90 % of decisions carry one; lognormal, median ~50,000 元), with a
warning, confiscation or production orders now and then. The events are not hash-chained
(`ecogov integrity` reports the synthetic chains as unverified)."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from itertools import accumulate

STEPS = [  # (state, event, days after the previous step: low, high)
    ("opened", "opened", 2, 7),
    ("investigating", "investigation_started", 1, 5),
    ("notified", "notified", 15, 60),
    ("hearing_requested", "hearing_requested", 2, 3),
    ("hearing_held", "hearing_held", 10, 25),
    ("legal_review", "review_submitted", 2, 10),
    ("reviewed", "legal_reviewed", 3, 10),
    ("discussed", "discussed", 2, 10),
    ("decided", "decided", 1, 7),
    ("served", "served", 1, 5),
    ("disclosed", "disclosed", 1, 7),
    ("executing", "execution_started", 1, 3),
    ("closed", "closed", 10, 60),
]
# (state to stop in, hearing, collective discussion, ending draw): the first cases' lives
FORCED = [
    ("lead", False, False, 0.5),
    *((state, True, True, 0.5) for state, _e, _l, _h in STEPS if state != "closed"),
    ("not_opened", False, False, 0.01),
    ("transferred", False, False, 0.04),
    ("withdrawn", False, False, 0.055),
    ("no_penalty", False, False, 0.08),
    ("revoked", False, False, 0.105),
]
SOURCES = (
    ["random_inspection"] * 4
    + ["complaint"] * 3
    + ["monitoring"] * 2
    + [
        "special_inspection",
        "transfer",
        "assigned",
    ]
)


def generate(ctx) -> None:
    from ecogov.core.fields import fill_indexes
    from ecogov.core.models import Organisation, OrganisationKind, RegulatedEntity
    from ecogov.core.synth import BASE
    from ecogov.enforcement.models import CaseEvent, Payment, PenaltyCase

    rng = ctx.rng("enforcement")
    bureau = Organisation.objects.get(kind=OrganisationKind.BUREAU).pk
    officer = ctx.user("inspector")
    names = dict(RegulatedEntity.objects.filter(pk__gte=BASE).values_list("pk", "name").iterator())
    encrypt = {
        f: PenaltyCase._meta.get_field(f).get_prep_value
        for f in ("party_name", "party_id_number", "party_phone")
    }
    # key dischargers are three times as likely to be a case's party
    weights = list(accumulate(3 if e[2] == "key" else 1 for e in ctx.entities))
    events, payments = [], []

    def event(case, seq, type_, day, before, after, payload=None):
        events.append(
            (
                BASE + len(events),
                case,
                seq,
                type_,
                ctx.at(day, 15),
                before,
                after,
                json.dumps(payload or {}),
                officer,
            )
        )

    def rows():
        for i in range(ctx.n("cases")):
            pk = BASE + i
            entity, division, _category, _status = rng.choices(ctx.entities, cum_weights=weights)[0]
            found = ctx.day(rng)
            hearing = rng.random() < 0.10
            complex_ = rng.random() < 0.15
            ending = rng.random()
            stop = None
            if i < len(FORCED):  # one case stands in each state, whatever the scale
                stop, hearing, complex_, ending = FORCED[i]
                found = max(
                    ctx.first, ctx.last - dt.timedelta(days=400 if stop == "revoked" else 240)
                )
            event(pk, 1, "lead_registered", found, "", "lead")
            dates: dict[str, dt.date] = {}
            state, day, seq = "lead", found, 2
            fine = confiscation = None
            kinds: list[str] = []
            for target, type_, low, high in STEPS:
                if state == stop:
                    break
                if target in ("hearing_requested", "hearing_held") and not hearing:
                    continue
                if target == "discussed" and not complex_:
                    continue
                if target == "opened" and ending < 0.03:
                    target, type_ = "not_opened", "not_opened"
                elif target == "notified" and 0.03 <= ending < 0.05:
                    target, type_ = "transferred", "transferred"
                elif target == "notified" and 0.05 <= ending < 0.06:
                    target, type_ = "withdrawn", "withdrawn"
                elif target == "decided" and 0.06 <= ending < 0.10:
                    target, type_ = "no_penalty", "no_penalty"
                step_day = day + dt.timedelta(days=rng.randrange(low, high + 1))
                if step_day > ctx.last:
                    break
                payload = {}
                if target == "decided":
                    fine, confiscation, kinds = _penalty(rng)
                    payload = {"fine": str(fine or 0), "kinds": kinds}
                event(pk, seq, type_, step_day, state, target, payload)
                seq += 1
                state, day = target, step_day
                dates[target] = step_day
                if target in ("not_opened", "transferred", "withdrawn", "no_penalty", stop):
                    break
                if target == "executing" and fine:
                    paid_on = day + dt.timedelta(days=rng.randrange(3, 40))
                    if paid_on <= ctx.last and rng.random() < 0.9:
                        payments.append((BASE + len(payments), pk, paid_on, fine))
                        event(pk, seq, "payment_received", paid_on, state, state)
                        seq += 1
            if state == "closed" and 0.10 <= ending < 0.11 and stop in (None, "revoked"):
                revoked = day + dt.timedelta(days=rng.randrange(30, 120))
                if revoked <= ctx.last:
                    event(pk, seq, "decision_changed", revoked, state, "revoked")
                    state, day = "revoked", revoked
            paid = fine if dates.get("executing") and payments and payments[-1][1] == pk else 0
            party = {
                "party_name": names[entity],
                "party_id_number": "",
                "party_phone": "",
            }
            fill_indexes(PenaltyCase, party)
            decided = dates.get("decided")
            yield (
                pk,
                f"示环罚〔{found.year}〕S{i:06d}号" if "opened" in dates else None,
                f"合成案件{i}",
                rng.choice(SOURCES),
                entity,
                encrypt["party_name"](party["party_name"]),
                encrypt["party_id_number"](""),
                encrypt["party_phone"](""),
                party["party_name_bidx"],
                party["party_id_number_bidx"],
                party["party_phone_bidx"],
                division,
                bureau,
                "违反排污管理规定(合成)",
                complex_,
                state,
                day,
                found,
                dates.get("opened"),
                dates.get("investigating"),
                dates.get("notified"),
                dates.get("hearing_requested"),
                dates.get("hearing_held"),
                dates.get("legal_review"),
                dates.get("reviewed"),
                "reviewed" in dates,
                dates.get("discussed"),
                decided,
                dates.get("served"),
                dates.get("executing"),
                decided + dt.timedelta(days=15) if decided else None,
                day
                if state in ("closed", "not_opened", "transferred", "withdrawn", "no_penalty")
                else None,  # fmt: skip
                json.dumps(kinds),
                fine,
                confiscation,
                paid,
                hearing,
                True,
                complex_,
            )

    ctx.write(
        PenaltyCase,
        [
            "id",
            "number",
            "title",
            "source",
            "entity_id",
            "party_name",
            "party_id_number",
            "party_phone",
            "party_name_bidx",
            "party_id_number_bidx",
            "party_phone_bidx",
            "division_id",
            "organisation_id",
            "facts",
            "is_complex",
            "state",
            "last_step_on",
            "found_on",
            "opened_on",
            "investigation_started_on",
            "notified_on",
            "hearing_requested_on",
            "hearing_held_on",
            "review_submitted_on",
            "reviewed_on",
            "review_passed",
            "discussed_on",
            "decided_on",
            "served_on",
            "execution_started_on",
            "payment_due",
            "closed_on",
            "penalty_kinds",
            "fine",
            "confiscation",
            "paid",
            "hearing_offered",
            "review_required",
            "collective_required",
        ],
        rows(),
    )
    ctx.write(
        CaseEvent,
        [
            "id",
            "record_id",
            "seq",
            "type",
            "occurred_at",
            "from_state",
            "to_state",
            "payload",
            "actor_id",
        ],
        iter(events),
    )
    ctx.write(
        Payment,
        ["id", "case_id", "paid_on", "amount"],
        iter(payments),
    )


def _penalty(rng) -> tuple[Decimal | None, Decimal | None, list[str]]:
    """(fine, confiscation, kinds): about 90 % fined, 8 % a warning alone."""
    draw = rng.random()
    if draw < 0.08:
        return None, None, ["warning"]
    if draw < 0.10:
        return None, None, ["stop_production"]
    amount = math.exp(rng.gauss(math.log(50_000), 1.1))
    fine = Decimal(min(2_000_000, max(1_000, round(amount, -2))))
    kinds = ["fine"]
    confiscation = None
    if rng.random() < 0.08:
        confiscation = Decimal(rng.randrange(1_000, 100_000, 100))
        kinds.append("confiscation")
    if rng.random() < 0.04:
        kinds.append("restrict_production")
    return fine, confiscation, kinds
