"""EIA projects for `ecogov synth` (ecogov.core.synth): half by report form (报告表) review,
a fifth by commitment, the rest filed registrations (登记表) or exempt; about 4 % refused,
one in four decided at the city level; a few still under review near the end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def generate(ctx) -> None:
    from ecogov.core.synth import BASE
    from ecogov.eia.models import EiaProject

    rng = ctx.rng("eia")
    entities = ctx.entities
    procedures = ["review"] * 10 + ["commitment"] * 4 + ["exempt"] * 2 + ["filing"] * 4

    def rows():
        for i in range(ctx.n("eia")):
            entity, division, _category, _status = entities[rng.randrange(len(entities))]
            procedure = procedures[rng.randrange(20)]
            submitted = ctx.day(rng)
            if procedure in ("review", "commitment"):
                document = "report" if rng.random() < 0.15 else "form"
                decided = submitted + dt.timedelta(days=rng.randrange(5, 40))
                if decided > ctx.last:
                    state, decision, decided = "accepted", "", None
                else:
                    decision = "refused" if rng.random() < 0.04 else "approved"
                    state = decision
            else:
                decision, document, decided = "", "registration", submitted
                state = "exempted" if procedure == "exempt" else "filed"
            total = Decimal(rng.randrange(10_000, 5_000_000)) / 100  # 万元
            env = (total * Decimal(rng.randrange(2, 10)) / 100).quantize(Decimal("0.01"))
            yield (
                BASE + i,
                f"HP{submitted.year}-S{i:07d}",
                f"合成建设项目{i}",
                entity,
                division,
                document,
                "city" if rng.random() < 0.25 else "county",
                procedure,
                total,
                env,
                state,
                decision,
                decided,
                submitted,
            )

    ctx.write(
        EiaProject,
        [
            "id",
            "reference",
            "name",
            "builder_id",
            "division_id",
            "document_type",
            "level",
            "procedure",
            "total_investment",
            "env_investment",
            "state",
            "decision",
            "decided_on",
            "submitted_on",
        ],
        rows(),
    )
