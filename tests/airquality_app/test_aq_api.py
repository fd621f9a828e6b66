"""/api/airquality/: stations, hourly data, imports and evaluations, with permissions."""


def test_stations_are_read_by_everyone_with_the_permission(login, world):
    for name in ("viewer", "beishan_staff", "leader"):
        data = login(name).get("/api/airquality/stations/").json()
        assert {s["code"] for s in data["results"]} >= {"9901A", "9905B"}
    assert login("sysadmin").get("/api/airquality/stations/").status_code == 403


def test_only_city_staff_register_stations(login, world):
    payload = {
        "code": "9906A",
        "name": "新站",
        "kind": "city",
        "city": "990100",
        "counts_for_city": False,
    }
    assert login("viewer").post("/api/airquality/stations/", payload).status_code == 403
    assert login("beishan_staff").post("/api/airquality/stations/", payload).status_code == 403
    response = login("leader").post("/api/airquality/stations/", payload)
    assert response.status_code == 201 and response.json()["city"] == "990100"
    again = login("leader").post("/api/airquality/stations/", payload)
    assert again.status_code == 400 and "code" in again.json()


def test_observations_by_station_and_local_dates(login, world):
    data = (
        login("viewer")
        .get(
            "/api/airquality/observations/",
            {"station": "9901A", "from": "2020-07-01", "to": "2020-07-02"},
        )
        .json()
    )
    assert 20 <= data["count"] <= 24
    first = data["results"][0]
    assert first["station"] == "9901A" and first["hour"].startswith("2020-07-01T0")
    assert first["hour"].endswith("+08:00")
    bad = login("viewer").get("/api/airquality/observations/", {"from": "July"})
    assert bad.status_code == 400


def test_import_through_the_api(login, world, stations, write_csv):
    path = write_csv(
        "api.csv",
        ["station", "time", "pollutant", "value"],
        [
            ["T1", "2024-09-01T00:00", "NO2", "20"],
            ["T1", "2024-09-01T00:00", "NO2", "21"],
            ["T1", "2024-09-01T01:00", "NO2", "22"],
        ],
    )
    with open(path, "rb") as fh:
        assert login("viewer").post("/api/airquality/imports/", {"file": fh}).status_code == 403
    with open(path, "rb") as fh:
        response = login("leader").post("/api/airquality/imports/", {"file": fh})
    assert response.status_code == 201
    batch = response.json()
    assert (batch["values_added"], batch["values_rejected"], batch["source"]) == (1, 2, "api")
    assert {p["line"] for p in batch["problems"]} == {2, 3}
    listed = login("viewer").get("/api/airquality/imports/").json()["results"]
    assert any(b["id"] == batch["id"] for b in listed)
    bad = write_csv("bad.csv", ["nope"], [["1"]])
    with open(bad, "rb") as fh:
        response = login("leader").post("/api/airquality/imports/", {"file": fh})
    assert response.status_code == 400 and "表头应含" in response.json()["file"][0]


def test_evaluation_endpoint(login, world, client):
    data = login("viewer").get("/api/airquality/evaluation/", {"year": 2020, "days": 0}).json()
    assert data["city"]["attained"] is True and "days" not in data["city"]
    assert data["edition"] == "2012" and data["limit_set"] == "GB3095-2012"
    assert data["extras"]["city"]["code"] == "990100"
    strict = (
        login("viewer")
        .get("/api/airquality/evaluation/", {"year": 2020, "method": "strict"})
        .json()
    )
    assert strict["method"] == "strict" and len(strict["city"]["days"]) == 366
    assert login("viewer").get("/api/airquality/evaluation/", {"year": 2001}).status_code == 404
    assert login("viewer").get("/api/airquality/evaluation/", {"year": 1999}).status_code == 400
    assert (
        login("viewer")
        .get("/api/airquality/evaluation/", {"year": 2020, "edition": "1996"})
        .status_code
        == 400
    )
    assert login("sysadmin").get("/api/airquality/evaluation/", {"year": 2020}).status_code == 403
    client.logout()
    assert client.get("/api/airquality/evaluation/", {"year": 2020}).status_code in (401, 403)
