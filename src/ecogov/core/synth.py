"""Synthetic data at scale: `ecogov synth --scale county|city|province` (docs/synth.md).

The frame every area's generator works in: the scale table, the seeded random streams, the
bulk writer (COPY on PostgreSQL, executemany on SQLite) and, at province scale, the province's
other cities and counties. Each area registers its generator (`register_synth` in its
AppConfig.ready, module `<area>/synth.py`); `run` calls them in area order on top of the 示例市
demo world (built first if missing), all in one transaction: a refusal or an error writes
nothing.

One area alone (`ecogov synth --only matters --records 1000000`, `run(only=...)`): the scale
gives the world (its divisions and years), `records` the volume of the area's own records
(ONLY below); the core's divisions and, where the area needs them, entities come first as
supporting rows (3 % of the volume, the scales' proportion). The benches build their data so.

Determinism: every area draws from its own `random.Random` seeded with (seed, scale, area),
rows are written in generation order with explicit ids from BASE up, and the moments the
rows carry ("recorded at") are fixed to the last data day — the same seed gives the same
records on SQLite and PostgreSQL (`digest()` compares them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ecogov.core.synth_writer import Writer

BASE = 100_000_000  # synthetic rows' ids start here, above anything the demo or a user writes


class SynthRefused(Exception):
    """Nothing written; the message (Chinese) says why."""


@dataclass(frozen=True)
class Scale:
    name: str
    label: str
    records: int  # target of all rows written, supporting rows included
    cities: int  # 1: 示例市 only; more: the province's other cities are added as divisions
    county_only: bool = False  # the records of one county-level division only
    years: int = 5  # data spans `years` calendar years ending with --year


SCALES = {
    "tiny": Scale("tiny", "测试", 2_500, 1, county_only=True, years=3),
    "county": Scale("county", "县级", 10_000, 1, county_only=True),
    "city": Scale("city", "市级", 100_000, 1),
    "province": Scale("province", "省级", 1_000_000, 14),
}

# Each area's share of the records (primary rows; their supporting rows — events, units,
# draw checks — come on top, see each area's synth.py).
SHARES = {
    "entities": 0.03,
    "eia": 0.03,
    "permits": 0.025,
    "registrations": 0.04,
    "inspections": 0.10,
    "draw_checks": 0.05,
    "cases": 0.025,
    "matters": 0.22,
    "observations": 0.12,
    "disputes": 0.003,
    "activities": 0.005,
    "publicity": 0.01,
    "trainings": 0.003,
    "drills": 0.002,
    "incidents": 0.002,
    "contingency_plans": 0.008,
}


# The one-area mode: per area (`--only`), the kinds of records whose volume `--records` sets;
# the other kinds the area's generator reads take their share of it (SHARES), as at a scale.
ONLY = {
    "core": ("entities",),
    "eia": ("eia",),
    "permits": ("permits", "registrations"),
    "inspections": ("inspections",),
    "enforcement": ("cases",),
    "matters": ("matters",),
    "airquality": ("observations",),
    "legal": ("disputes",),
    "outreach": ("activities", "publicity", "trainings"),
    "emergency": ("drills", "incidents", "contingency_plans"),
}
ONLY_NAMES = {"entities": "core"}  # `--only entities`: the core's entities
WITHOUT_ENTITIES = {"matters", "airquality", "outreach"}  # areas whose records name no entity
MAX_RECORDS = 10_000_000


@dataclass
class Synth:
    """What a generator gets: the scale, the dates, the random streams, the writer, and what
    the generators before it made (divisions, entities, organisations)."""

    scale: Scale
    seed: int
    first: dt.date  # the first day of data
    last: dt.date  # the last day of data (31 December of --year, or today if earlier)
    writer: Writer
    records: int  # the target (the scale's, or the bench's own)
    divisions: list[int] = field(default_factory=list)  # county-level divisions in scope
    # (pk, division_id, category, status) of the synthetic entities, in id order
    entities: list[tuple[int, int, str, str]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what one area leaves for a later one
    # the one-area mode: the area, and the volumes asked for by kind (they override the shares;
    # kinds outside SHARES, e.g. "inspectors", "units", are written only when asked for)
    only: str | None = None
    volumes: dict[str, int] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.scale.name}:{self.records}:{name}")

    def n(self, share: str) -> int:
        if share in self.volumes:
            return self.volumes[share]
        return max(1, round(self.records * SHARES[share]))

    def volume(self, kind: str) -> int:
        """A kind no scale writes (0 unless the one-area mode asks for it)."""
        return self.volumes.get(kind, 0)

    def day(self, rng: random.Random, first: dt.date | None = None, last=None) -> dt.date:
        first, last = first or self.first, last or self.last
        return first + dt.timedelta(days=rng.randrange((last - first).days + 1))

    def at(self, day: dt.date, hour: int = 10, minute: int = 0):
        """A local moment of `day`, as the writer stores it."""
        from django.utils import timezone

        zone = timezone.get_current_timezone()
        return self.writer.moment(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone))

    def user(self, username: str) -> int:
        from django.contrib.auth.models import User

        return User.objects.get(username=username).pk

    def write(self, model, given, rows) -> int:
        return self.writer.write(model, given, rows)


def years_on(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


def present() -> bool:
    """Whether the database already holds synthetic records (of any table: one area alone may
    have written no entity)."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.proxy or model._meta.pk.get_internal_type() not in (
            "AutoField",
            "BigAutoField",
        ):
            continue
        if model._base_manager.filter(pk__gte=BASE).exists():
            return True
    return False


def only_area(name: str) -> str:
    """The area `--only` names (an area key, or "entities"); refused if it has no generator."""
    area = ONLY_NAMES.get(name, name)
    if area not in ONLY:
        choices = "、".join([*ONLY_NAMES, *(a for a in ONLY if a != "core")])
        raise SynthRefused(f"领域“{name}”不存在或没有合成数据(--only):可选 {choices}。")
    return area


def checked_volume(value, name: str = "--records") -> int:
    """A volume given on the command line or by a bench: a whole number 1 … MAX_RECORDS
    (0 allowed for the supporting kinds a bench turns off)."""
    minimum = 1 if name == "--records" else 0
    try:
        number = int(str(value).replace(",", "").replace("_", ""))
    except ValueError:
        number = None
    if number is None or not minimum <= number <= MAX_RECORDS:
        raise SynthRefused(
            f"记录数({name})“{value}”无效:须为 {minimum} 至 {MAX_RECORDS:,} 之间的整数。"
        )
    return number


def run(
    scale: str | None = None,
    *,
    seed: int = 1,
    year: int | None = None,
    records: int | str | None = None,
    years: int | None = None,
    only: str | None = None,
    volumes: dict[str, int] | None = None,
    out: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fill the database at `scale` (a key of SCALES); {table label: rows written}.

    `records` / `years` override the scale's target and span (the figures bench). With `only`
    (an area of ONLY, or "entities") only that area is generated, in the scale's world
    (default city): `records` is then the volume of each of its own kinds (default: their
    share of the scale's target) and `volumes` sets single kinds ({"registrations": 500_000,
    "inspectors": 3_000, "entities": 0} …)."""
    from django.db import transaction

    from ecogov.core.areas import AREAS
    from ecogov.core.demo import build

    scale = scale or ("city" if only else "")
    if scale not in SCALES:
        raise SynthRefused(
            f"规模“{scale}”不存在:可选 {'、'.join(k for k in SCALES if k != 'tiny')}。"
        )
    asked: dict[str, int] = {}
    if only is not None:
        only = only_area(only)
        if records is not None:
            records = checked_volume(records)
            asked = dict.fromkeys(ONLY[only], records)
            if only not in WITHOUT_ENTITIES and only != "core":
                # 3 % of the volume, as at the scales; a few at least for a few records
                asked["entities"] = max(20, round(records * SHARES["entities"]))
        if only in WITHOUT_ENTITIES:
            asked["entities"] = 0
        for kind, value in (volumes or {}).items():
            if kind not in SHARES and kind not in ("inspectors", "units"):
                raise SynthRefused(f"记录种类“{kind}”不存在:未写入任何记录。")
            asked[kind] = checked_volume(value, kind)
    elif records is not None:
        records = checked_volume(records)
    today = dt.date.today()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise SynthRefused(f"年度 {year} 无效:须在 2000 至 {today.year} 之间。")
    if present():
        raise SynthRefused("数据库中已有合成数据(编号自 100000000 起):未写入任何记录。")
    spec = SCALES[scale]
    last = min(dt.date(year, 12, 31), today)
    first = dt.date(year - (years or spec.years) + 1, 1, 1)
    say = out or (lambda line: None)
    started = time.perf_counter()
    from django.utils import timezone

    stamp = dt.datetime.combine(last, dt.time(18), tzinfo=timezone.get_current_timezone())
    ctx = Synth(spec, seed, first, last, Writer(stamp), int(records or spec.records))
    ctx.only, ctx.volumes = only, asked
    with transaction.atomic():
        step = time.perf_counter()
        build()  # 示例市 (idempotent): the demo users sign in to look at the synthetic world
        say(f"  {'示例市演示数据':8} {time.perf_counter() - step:6.1f} 秒")
        for area in AREAS.values():
            if only is not None and area.key not in ("core", only):
                continue  # one area: the core's divisions (and entities) come first
            for generator in area.synth:
                step = time.perf_counter()
                before = sum(ctx.writer.counts.values())
                generator(ctx)
                written = sum(ctx.writer.counts.values()) - before
                say(f"  {area.key:12} {written:>10,} 条  {time.perf_counter() - step:6.1f} 秒")
    with ctx.writer.connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ctx.writer.counts["seconds"] = round(time.perf_counter() - started, 1)
    return ctx.writer.counts


def divisions_for(ctx: Synth) -> list[int]:
    """The county-level divisions the records fall in; at province scale the province's other
    cities and their counties are added (codes 99CC00 / 99CCKK under 示例省)."""
    from ecogov.core.demo import data
    from ecogov.core.models import Division, DivisionLevel, Organisation, OrganisationKind

    city = Division.objects.get(code=data.CITY[0])
    counties = list(
        Division.objects.filter(parent=city).order_by("code").values_list("pk", flat=True)
    )
    if ctx.scale.county_only:
        return [Division.objects.get(code=data.COUNTIES[2][0]).pk]  # 北山县
    province = city.parent
    for c in range(2, ctx.scale.cities + 1):
        name = CITY_NAMES[c - 2]
        new_city = Division.objects.create(
            code=f"99{c:02d}00", name=f"{name}市", level=DivisionLevel.CITY, parent=province
        )
        for k in range(1, 9 + c % 2):
            county = Division.objects.create(
                code=f"99{c:02d}{k + 20:02d}",
                name=f"{name}{COUNTY_WORDS[k - 1]}县",
                level=DivisionLevel.COUNTY,
                parent=new_city,
            )
            Organisation.objects.create(
                name=f"{county.name}人民政府",
                kind=OrganisationKind.COUNTY_GOVERNMENT,
                division=county,
            )
            counties.append(county.pk)
    return counties


CITY_NAMES = ["东岭", "西江", "南原", "北川", "临海", "平阳", "安远", "长宁", "永丰", "清河", "石门",
              "丰林", "宁川"]  # fmt: skip
COUNTY_WORDS = ["上", "下", "东", "西", "中", "新", "平", "和", "顺"]


def core_generate(ctx: Synth) -> None:
    """The province's divisions (at province scale) and the regulated entities: most ordinary,
    about 8 % key dischargers (重点排污单位), 3 % under special supervision."""
    from ecogov.core import creditcode
    from ecogov.core.demo import data
    from ecogov.core.models import Division, RegulatedEntity

    ctx.divisions = divisions_for(ctx)
    codes = dict(Division.objects.filter(pk__in=ctx.divisions).values_list("pk", "code"))
    names = dict(Division.objects.filter(pk__in=ctx.divisions).values_list("pk", "name"))
    rng = ctx.rng("entities")
    count = ctx.n("entities")
    statuses = ["operating"] * 90 + ["suspended"] * 4 + ["closed"] * 4 + ["cancelled"] * 2

    def rows():
        for i in range(count):
            division = ctx.divisions[i % len(ctx.divisions)]
            code, industry = data.INDUSTRIES[rng.randrange(len(data.INDUSTRIES))]
            draw = rng.random()
            category = "key" if draw < 0.08 else "special" if draw < 0.11 else "ordinary"
            status = rng.choice(statuses)
            ctx.entities.append((BASE + i, division, category, status))
            place = names[division][:2]
            yield (
                BASE + i,
                f"{place}{data.WORDS[i % len(data.WORDS)]}{industry}有限公司(合成{i})",
                creditcode.make(f"91{codes[division]}{800000000 + i:09d}"),
                f"{names[division]}工业园{rng.randrange(1, 80)}号",
                division,
                code,
                category,
                category == "key",
                category == "special",
                status,
                data.SURNAMES[rng.randrange(len(data.SURNAMES))]
                + data.GIVEN[rng.randrange(len(data.GIVEN))],
            )

    if not count:  # one area alone whose records name no entity
        return
    ctx.write(
        RegulatedEntity,
        [
            "id",
            "name",
            "credit_code",
            "address",
            "division_id",
            "industry_code",
            "category",
            "is_key_discharger",
            "is_special_supervision",
            "status",
            "legal_representative",
        ],
        rows(),
    )


def digest() -> str:
    """SHA-256 over every synthetic row (ids from BASE), table by table, as Django reads them
    (personal data decrypted; moments in UTC): equal on SQLite and PostgreSQL for one seed."""
    from django.apps import apps
    from django.db.models import BinaryField

    h = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        pk = model._meta.pk
        if model._meta.proxy or pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            continue
        rows = model._base_manager.filter(pk__gte=BASE).order_by("pk")
        names = [f.attname for f in model._meta.concrete_fields if not isinstance(f, BinaryField)]
        found = False
        for values in rows.values_list(*names).iterator(chunk_size=5000):
            found = True
            h.update(repr(tuple(_plain(v) for v in values)).encode())
        if found:
            h.update(model._meta.label.encode())
    return h.hexdigest()


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value) if value is not None else None
