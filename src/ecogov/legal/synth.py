"""Administrative reconsiderations and lawsuits for `ecogov synth` (ecogov.core.synth).

Seven in ten disputes are reconsiderations (复议), the rest lawsuits; most contest a penalty.
Outcomes of the decided ones follow a bureau's usual record: the act upheld about three times
in four, withdrawn one in ten, revoked, changed or confirmed illegal now and then. Disputes
received in the last months are still being answered or decided."""

from __future__ import annotations

import datetime as dt


def generate(ctx) -> None:
    from ecogov.core.fields import fill_indexes
    from ecogov.core.models import Organisation, OrganisationKind
    from ecogov.core.synth import BASE
    from ecogov.legal.models import DisputeCase

    rng = ctx.rng("legal")
    unit = Organisation.objects.filter(kind=OrganisationKind.SECTION).order_by("pk").first().pk
    encrypt = {
        f: DisputeCase._meta.get_field(f).get_prep_value
        for f in ("applicant_name", "applicant_id_number", "applicant_phone")
    }
    outcomes = ["upheld"] * 15 + ["withdrawn"] * 2 + ["revoked", "changed", "confirmed_illegal"]
    acts = ["penalty"] * 6 + ["permit", "eia", "information", "inaction"]

    def rows():
        for i in range(ctx.n("disputes")):
            entity, division, _c, _s = ctx.entities[rng.randrange(len(ctx.entities))]
            kind = "reconsideration" if rng.random() < 0.7 else "litigation"
            received = ctx.day(rng)
            answered = received + dt.timedelta(days=rng.randrange(5, 10))
            decided = answered + dt.timedelta(days=rng.randrange(30, 90 if kind[0] == "r" else 180))
            state = (
                "decided"
                if decided <= ctx.last
                else "answered"
                if answered <= ctx.last
                else "received"
            )
            name = f"合成申请人{i}"
            person = {"applicant_name": name, "applicant_id_number": "", "applicant_phone": ""}
            fill_indexes(DisputeCase, person)
            yield (
                BASE + i,
                kind,
                "first" if kind == "litigation" else "",
                "示例市人民政府" if kind == "reconsideration" else "示例市中级人民法院",
                division,
                unit,
                encrypt["applicant_name"](name),
                encrypt["applicant_id_number"](""),
                encrypt["applicant_phone"](""),
                person["applicant_name_bidx"],
                person["applicant_id_number_bidx"],
                acts[rng.randrange(len(acts))],
                f"对单位{entity}的行政行为(合成)",
                state,
                received,
                answered if state != "received" else None,
                decided if state == "decided" else None,
                outcomes[rng.randrange(len(outcomes))] if state == "decided" else "",
            )

    ctx.write(
        DisputeCase,
        [
            "id",
            "kind",
            "trial_level",
            "forum",
            "division_id",
            "handling_unit_id",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_name_bidx",
            "applicant_id_number_bidx",
            "act_kind",
            "act_description",
            "state",
            "received_on",
            "answered_on",
            "decided_on",
            "outcome",
        ],
        rows(),
    )
