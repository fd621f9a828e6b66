"""Fixtures of the air-quality app's tests: test stations in 示例市, hourly files on disk."""

import csv
import datetime as dt

import pytest
from openpyxl import Workbook

from ecogov.airquality import services
from ecogov.airquality.models import Station, StationKind


@pytest.fixture
def stations(world):
    """Two test stations of 示例市 (T1 counted, T2 not), created by a city-level user."""
    leader = world.user("leader")
    city = world.division("示例市")
    return {
        code: services.station_create(
            actor=leader,
            data={
                "code": code,
                "name": name,
                "kind": StationKind.CITY,
                "city": city,
                "counts_for_city": counted,
            },
        )
        for code, name, counted in (("T1", "测试一站", True), ("T2", "测试二站", False))
    }


@pytest.fixture
def neighbour_station(world):
    """A station of another city, which 示例市's staff may not import into."""
    from ecogov.core.models import Division, DivisionLevel

    city = Division.objects.create(
        code="990200", name="邻市", level=DivisionLevel.CITY, parent=world.division("示例省")
    )
    return Station.objects.create(code="N1", name="邻市站", kind=StationKind.NATIONAL, city=city)


@pytest.fixture
def write_csv(tmp_path):
    def _write(name, header, rows, encoding="utf-8"):
        path = tmp_path / name
        with open(path, "w", newline="", encoding=encoding) as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        return path

    return _write


@pytest.fixture
def write_xlsx(tmp_path):
    def _write(name, header, rows):
        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:
            ws.append(r)
        path = tmp_path / name
        wb.save(path)
        return path

    return _write


@pytest.fixture
def county_section_staff(world):
    """A section-staff user whose territory is 北山县: has the import permission, not the scope."""
    from django.contrib.auth.models import Group, User

    from ecogov.core.models import StaffProfile
    from ecogov.core.roles import Role

    user = User.objects.create_user("beishan_section", is_staff=True)
    StaffProfile.objects.create(
        user=user,
        full_name="北山科员",
        organisation=world.organisation("示例市生态环境局北山分局"),
        division=world.division("北山县"),
    )
    user.groups.set([Group.objects.get(name=Role.SECTION_STAFF)])
    return user


def hours(start: dt.datetime, n: int):
    return [start + dt.timedelta(hours=h) for h in range(n)]
