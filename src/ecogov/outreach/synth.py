"""Outreach for `ecogov synth` (ecogov.core.synth): activities clustered on the days the
calendar asks for (4 December 宪法日, 5 June 环境日) and spread over the year otherwise;
publicity items (WeChat most, then the website and Weibo); law trainings."""

from __future__ import annotations

import datetime as dt


def generate(ctx) -> None:
    from ecogov.core.models import Organisation, OrganisationKind
    from ecogov.core.synth import BASE
    from ecogov.outreach.models import Activity, PublicityItem, Training

    rng = ctx.rng("outreach")
    organiser = Organisation.objects.filter(kind=OrganisationKind.SECTION).order_by("pk").first()
    kinds = ["environment_day"] * 3 + ["constitution_day"] * 2 + [
        "lecture", "lecture", "open_day", "press_conference", "other"]  # fmt: skip

    def activities():
        for i in range(ctx.n("activities")):
            kind = kinds[rng.randrange(len(kinds))]
            year = rng.randrange(ctx.first.year, ctx.last.year + 1)
            day = (
                dt.date(year, 6, 5)
                if kind == "environment_day"
                else dt.date(year, 12, 4)
                if kind == "constitution_day"
                else ctx.day(rng)
            )
            if day > ctx.last:
                day = ctx.day(rng)
            yield (
                BASE + i,
                ctx.divisions[rng.randrange(len(ctx.divisions))],
                kind,
                f"合成宣传活动{i}",
                day,
                "市民广场",
                "社会公众",
                rng.randrange(50, 2000),
                organiser.pk,
            )

    ctx.write(
        Activity,
        [
            "id",
            "division_id",
            "kind",
            "title",
            "held_on",
            "place",
            "audience",
            "audience_count",
            "organiser_id",
        ],  # fmt: skip
        activities(),
    )
    channels = ["wechat"] * 6 + ["website"] * 3 + ["weibo"] * 2 + ["other"]

    def publicity():
        for i in range(ctx.n("publicity")):
            yield (
                BASE + i,
                ctx.divisions[rng.randrange(len(ctx.divisions))],
                channels[rng.randrange(len(channels))],
                ctx.day(rng),
                f"合成宣传稿件{i}",
            )

    ctx.write(PublicityItem, ["id", "division_id", "channel", "published_on", "title"], publicity())
    laws = ["environment", "air", "water", "soil", "solid_waste", "eia", "permits", "constitution"]

    def trainings():
        for i in range(ctx.n("trainings")):
            yield (
                BASE + i,
                ctx.divisions[rng.randrange(len(ctx.divisions))],
                f"合成普法培训{i}",
                laws[rng.randrange(len(laws))],
                ctx.day(rng),
                organiser.pk,
                "辖区排污单位",
                rng.randrange(20, 300),
            )

    ctx.write(
        Training,
        [
            "id",
            "division_id",
            "topic",
            "law",
            "held_on",
            "organiser_id",
            "audience_units",
            "attendee_count",
        ],  # fmt: skip
        trainings(),
    )
