"""Normative documents in 示例市, walked through the real services to the state a test needs.

Dates are in 2025 (a year the holiday calendar knows), so deadlines are reproducible. The
demo's 2020 records are there too (示环规〔2020〕1–5号); tests that count work in 2025.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from ecogov.legal import services as s
from ecogov.legal.models import ReviewKind

D = dt.date


class Docs:
    def __init__(self, world):
        self.world = world
        u = world.user
        self.p = SimpleNamespace(
            legal=u("legal"),
            leader=u("leader"),
            eia=u("eia_staff"),
            viewer=u("viewer"),
            beishan=u("beishan_staff"),
        )
        self.unit = world.organisation("法规与标准科")
        self.city = world.division("示例市")
        self.fair = ReviewKind.objects.get(code=ReviewKind.FAIR_COMPETITION)

    def draft(self, title="示例市测试管理办法", on=D(2025, 3, 3), **kw):
        return s.document_draft(
            actor=kw.pop("actor", self.p.legal),
            title=title,
            drafting_unit=self.unit,
            division=self.city,
            drafted_on=on,
            **kw,
        )

    def consulted(self, start=D(2025, 3, 10), end=D(2025, 4, 10), **kw):
        doc = s.document_start_consultation(
            actor=self.p.legal, document=self.draft(**kw), started_on=start, channel="政府门户网站"
        )
        return s.document_close_consultation(
            actor=self.p.legal, document=doc, ended_on=end, opinions=3
        )

    def in_review(self, on=D(2025, 4, 14), **kw):
        return s.document_submit_review(
            actor=self.p.legal,
            document=self.consulted(**kw),
            submitted_on=on,
            reviewer=self.p.legal,
        )

    def legality(self, doc):
        return doc.reviews.get(kind__code=ReviewKind.LEGALITY, state="pending")

    def reviewed(self, outcome="passed", on=D(2025, 4, 21), issues="", **kw):
        doc = self.in_review(**kw)
        s.review_record(
            actor=self.p.legal,
            review=self.legality(doc),
            outcome=outcome,
            opinion="同意。" if outcome != "failed" else "退回。",
            issues_found=issues,
            reviewed_on=on,
        )
        return doc.__class__.objects.get(pk=doc.pk)

    def fair_review(
        self,
        doc,
        outcome="compliant",
        ground="",
        on=D(2025, 4, 15),
        done=D(2025, 4, 18),
        opinion="未发现排除、限制竞争的内容。",
    ):
        review = s.review_submit(actor=self.p.legal, subject=doc, kind=self.fair, submitted_on=on)
        return s.review_record(
            actor=self.p.legal,
            review=review,
            outcome=outcome,
            exception_ground=ground,
            reviewed_on=done,
            opinion=opinion,
        )

    def deliberated(self, on=D(2025, 4, 24), **kw):
        return s.document_deliberate(
            actor=self.p.legal,
            document=self.reviewed(**kw),
            meeting="局党组会",
            conclusion="同意。",
            deliberated_on=on,
        )

    def registered(self, on=D(2025, 4, 25), **kw):
        return s.document_register(
            actor=self.p.legal, document=self.deliberated(**kw), registered_on=on
        )

    def issued(self, on=D(2025, 4, 28), **kw):
        return s.document_issue(actor=self.p.legal, document=self.registered(**kw), issued_on=on)

    def published(self, on=D(2025, 4, 30), **kw):
        return s.document_publish(
            actor=self.p.legal, document=self.issued(**kw), published_on=on, channel="政府门户网站"
        )

    def filed(self, on=D(2025, 5, 20), **kw):
        return s.document_file(actor=self.p.legal, document=self.published(**kw), filed_on=on)


@pytest.fixture
def docs(world):
    return Docs(world)
