"""Penalty cases in 示例市, walked through the real services to the state a test needs.

Dates are fixed in 2025 (a year the holiday calendar knows), so deadlines are reproducible.
`flow.simple()` is a case with a 50,000 元 fine for an organisation (no hearing, no review);
`flow.major()` a 300,000 元 fine (hearing right, legal review, collective discussion).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ecogov.enforcement import services as s
from ecogov.enforcement.bulk import DIRECT
from ecogov.enforcement.models import CaseSource, LegalBasis, PenaltyKind, ServiceMethod

D = dt.date
FINE = [PenaltyKind.FINE]


class Flow:
    def __init__(self, world):
        self.world = world
        self.writer = DIRECT  # a test of a bulk job sets a BulkWriter (ecogov.enforcement.bulk)
        u = world.user
        self.p = SimpleNamespace(
            handler=u("inspector"),
            beishan=u("beishan_staff"),
            nanhu=u("nanhu_staff"),
            leader=u("leader"),
            legal=u("legal"),
            viewer=u("viewer"),
            officer=u("zhidui_officer"),
            eia=u("eia_staff"),
        )
        self.voc = LegalBasis.objects.get(code="大气法108")  # 20,000–200,000 元
        self.air = LegalBasis.objects.get(code="大气法99")  # 100,000–1,000,000 元

    # --- to a state ----------------------------------------------------------------------
    def opened(self, county="北山县", found_on=D(2025, 3, 3), opened_on=D(2025, 3, 5), **kw):
        entity = self.world.entity_in(county)
        return s.case_open(
            writer=self.writer,
            actor=self.p.handler,
            entity=entity,
            division=entity.division,
            source=CaseSource.RANDOM_INSPECTION,
            facts="废气排放口未安装收集设施。",
            found_on=found_on,
            opened_on=opened_on,
            officers=[self.p.beishan, self.p.handler],
            **kw,
        )

    def investigating(self, **kw):
        case = self.opened(**kw)
        return s.case_investigate(
            writer=self.writer,
            actor=self.p.handler,
            case=case,
            on=case.opened_on + dt.timedelta(days=1),
        )

    def notified(self, fine=Decimal("50000"), basis=None, on=D(2025, 4, 1), **kw):
        return s.case_notify(
            writer=self.writer,
            actor=self.p.handler,
            case=self.investigating(**kw),
            legal_basis=basis or self.voc,
            penalty_kinds=FINE,
            fine=fine,
            notified_on=on,
        )

    def simple(self, **kw):
        return self.notified(**kw)

    def major(self, fine=Decimal("300000"), **kw):
        return self.notified(fine=fine, basis=self.air, **kw)

    def reviewed(self, case, on=D(2025, 4, 10)):
        case = s.case_submit_review(
            writer=self.writer,
            actor=self.p.handler,
            case=case,
            reviewer=self.p.legal,
            submitted_on=on,
        )
        return s.case_legal_review(
            writer=self.writer,
            actor=self.p.legal,
            case=case,
            passed=True,
            reviewed_on=on,
            opinion="同意。",
        )

    def discussed(self, case, on=D(2025, 4, 11)):
        return s.case_discuss(
            writer=self.writer,
            actor=self.p.leader,
            case=case,
            discussed_on=on,
            conclusion="同意处罚。",
        )

    def decided(self, on=D(2025, 4, 15), **kw):
        case = self.simple(**kw)
        return s.case_decide(
            writer=self.writer,
            actor=self.p.leader,
            case=case,
            penalty_kinds=FINE,
            fine=case.notified_fine,
            decided_on=on,
        )

    def served(self, **kw):
        return s.case_serve(
            writer=self.writer,
            actor=self.p.handler,
            case=self.decided(**kw),
            method=ServiceMethod.DIRECT,
            served_on=D(2025, 4, 16),
        )

    def disclosed(self, **kw):
        return s.case_disclose(
            writer=self.writer,
            actor=self.p.handler,
            case=self.served(**kw),
            published_on=D(2025, 4, 18),
        )

    def executing(self, **kw):
        return s.case_execute(
            writer=self.writer, actor=self.p.handler, case=self.disclosed(**kw), on=D(2025, 4, 18)
        )

    def closed(self, **kw):
        case = self.executing(**kw)
        s.case_record_payment(
            writer=self.writer,
            actor=self.p.handler,
            case=case,
            amount=case.fine,
            paid_on=D(2025, 4, 25),
        )
        return s.case_close(
            writer=self.writer, actor=self.p.handler, case=case, closed_on=D(2025, 4, 28)
        )


@pytest.fixture
def flow(world):
    return Flow(world)
