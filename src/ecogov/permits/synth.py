"""Discharge permits and registrations for `ecogov synth` (ecogov.core.synth).

Permits: a fifth under key management (重点管理), the rest simplified; five years' validity;
one in twenty revoked early, one in six issued with a rectification order. Registrations
(排污登记, the small units): more numerous than permits, five years' validity."""

from __future__ import annotations

import datetime as dt


def generate(ctx) -> None:
    from ecogov.core.synth import BASE, years_on
    from ecogov.permits.models import Permit, Registration

    rng = ctx.rng("permits")
    entities = ctx.entities

    def permits():
        for i in range(ctx.n("permits")):
            entity, division, category, _status = entities[i % len(entities)]
            issued = ctx.day(rng)
            valid = years_on(issued, 5) - dt.timedelta(days=1)
            ended = None
            if rng.random() < 0.05:
                ended = issued + dt.timedelta(days=rng.randrange(30, 1500))
            state = (
                "revoked"
                if ended and ended <= ctx.last
                else "expired"
                if valid < ctx.last
                else "in_force"
            )
            until = ended - dt.timedelta(days=1) if state == "revoked" else valid
            key = category == "key" or rng.random() < 0.12
            yield (
                BASE + i,
                f"S{i:08d}P",
                entity,
                division,
                f"syn{i}",
                "key" if key else "simplified",
                issued,
                valid,
                until,
                rng.random() < 1 / 6,
                ended if state == "revoked" else None,
                state,
                issued,
            )

    ctx.write(
        Permit,
        [
            "id",
            "permit_number",
            "entity_id",
            "division_id",
            "site_key",
            "management_class",
            "issued_on",
            "valid_until",
            "in_force_until",
            "with_rectification",
            "ended_on",
            "state",
            "reports_tracked_from",
        ],
        permits(),
    )

    def registrations():
        for i in range(ctx.n("registrations")):
            division = ctx.divisions[rng.randrange(len(ctx.divisions))]
            filed = ctx.day(rng)
            yield (
                BASE + i,
                f"S{i:08d}R",
                f"合成登记单位{i}",
                division,
                f"synr{i}",
                filed,
                years_on(filed, 5),
            )

    ctx.write(
        Registration,
        [
            "id",
            "registration_number",
            "unit_name",
            "division_id",
            "site_key",
            "filed_on",
            "valid_until",
        ],
        registrations(),
    )
