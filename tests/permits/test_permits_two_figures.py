"""累计发证 and in force at a date are two figures (issue 17): every permit issued up to the
day, and the permits in force on it; a revocation before the day moves a permit out of the
second only. Through the service's figures and /api/figures/ with a cut-off day."""

import datetime as dt

from ecogov.core.figures import Period
from ecogov.permits import services
from ecogov.permits.figures import permit_figures

D = dt.date


def _api(client, year, until):
    rows = client.get(f"/api/figures/?year={year}&until={until}").json()["figures"]
    return {row["key"]: row for row in rows if row["key"].startswith("permits.")}


def test_issued_up_to_a_date_and_in_force_at_it_are_two_figures(login, world, issue):
    leader = world.user("leader")
    cut = Period.of_year(2024, D(2024, 6, 30))
    before = {f.key: f for f in permit_figures(leader, cut)}
    api_before = _api(login("leader"), 2024, "2024-06-30")
    kept = issue(issued_on=D(2024, 2, 1))
    revoked = issue(issued_on=D(2024, 2, 15))
    services.permit_revoke(
        actor=world.user("eia_staff"),
        permit=revoked,
        revoked_on=D(2024, 4, 1),
        reason="以欺骗手段取得许可证,依法撤销",
    )
    after = {f.key: f for f in permit_figures(leader, cut)}
    cumulative, in_force = after["permits.issued_cumulative"], after["permits.in_force"]
    assert cumulative.label != in_force.label and "累计" in cumulative.label
    assert cumulative.value == before["permits.issued_cumulative"].value + 2
    assert in_force.value == before["permits.in_force"].value + 1
    assert {kept, revoked} <= set(cumulative.records)
    assert kept in in_force.records and revoked not in in_force.records
    api_after = _api(login("leader"), 2024, "2024-06-30")
    for key, added in (("permits.issued_cumulative", 2), ("permits.in_force", 1)):
        assert api_after[key]["value"] == api_before[key]["value"] + added, key
    # on a day before the revocation both count it
    march = {f.key: f for f in permit_figures(leader, Period.of_year(2024, D(2024, 3, 31)))}
    assert revoked in march["permits.in_force"].records
