"""Air-quality hours for `ecogov synth` (ecogov.core.synth): the counted stations' hours back
from the last data hour (as many as the scale's share allows, the stations in turn; hours the
database already holds are skipped). PM2.5 is gamma-distributed around 30 µg/m³, higher in
winter (×1.4, November–February) than in summer (×0.8); PM10 about 1.6 × PM2.5."""

from __future__ import annotations

import datetime as dt


def generate(ctx) -> None:
    from ecogov.airquality.evaluation import LOCAL
    from ecogov.airquality.models import ImportBatch, Observation, Station
    from ecogov.core.synth import BASE

    rng = ctx.rng("airquality")
    stations = list(
        Station.objects.filter(counts_for_city=True).order_by("pk").values_list("pk", flat=True)
    )
    batch = ImportBatch.objects.order_by("pk").values_list("pk", flat=True).first()
    if not stations or batch is None:
        return
    end = dt.datetime.combine(ctx.last, dt.time(23), tzinfo=LOCAL)
    start = dt.datetime.combine(ctx.first, dt.time(0), tzinfo=LOCAL)
    taken = set(
        Observation.objects.filter(station__in=stations, hour__gte=start).values_list(
            "station_id", "hour"
        )
    )
    budget = ctx.n("observations")

    def rows():
        n, hour = 0, end
        while n < budget and hour >= start:
            winter = 1.4 if hour.month in (11, 12, 1, 2) else 0.8 if hour.month in (6, 7, 8) else 1
            for station in stations:
                if n >= budget:
                    break
                if (station, hour) in taken:
                    continue
                pm25 = round(rng.gammavariate(2.0, 15.0) * winter, 1)
                yield (
                    BASE + n,
                    station,
                    ctx.writer.moment(hour),
                    round(rng.uniform(3, 20), 1),
                    round(rng.uniform(8, 50), 1),
                    round(rng.uniform(0.3, 1.5), 2),
                    round(rng.uniform(20, 180), 1),
                    round(pm25 * rng.uniform(1.3, 1.9), 1),
                    pm25,
                    batch,
                )
                n += 1
            hour -= dt.timedelta(hours=1)

    ctx.write(
        Observation,
        ["id", "station_id", "hour", "so2", "no2", "co", "o3", "pm10", "pm25", "batch_id"],
        rows(),
    )
