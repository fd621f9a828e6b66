"""The API's ledger exports as background jobs (issue 14; docs/api.md "大批量导出", docs/jobs.md):
`GET …/export/` with `Prefer: respond-async`, or with more rows than ECOGOV_EXPORT_JOB_ROWS,
answers 202 with the job; the job's file, opened with openpyxl, holds the rows the immediate
export gives the same caller with the same filters; only its starter (and the system
administrator) may fetch it. With the test settings' immediate backend the job has run when the
202 is answered."""

from __future__ import annotations

import io

import pytest

from ecogov.core.models import Job, JobKind, JobState

ASYNC = {"Prefer": "respond-async"}
# (the export with a filter, the list whose rows it exports)
EXPORTS = [
    ("/api/eia/projects/export/?state=approved", "/api/eia/projects/?state=approved"),
    ("/api/matters/matters/export/?kind=petition", "/api/matters/matters/?kind=petition"),
    ("/api/enforcement/cases/export/", "/api/enforcement/cases/"),
    ("/api/core/entities/export/?is_key_discharger=true", None),
]


def _rows(content: bytes) -> list[tuple]:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("export, listed", EXPORTS)
def test_an_api_export_asked_async_is_a_job_whose_file_holds_the_immediate_rows(
    login, world, export, listed
):
    client = login("beishan_staff")
    immediate = client.get(export)
    assert immediate.status_code == 200 and immediate["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    expected = _rows(immediate.content)
    if listed is not None:  # the filter did choose rows: the file is the filtered list
        count = client.get(listed).json()["count"]
        assert len(expected) - 1 == count > 0, (export, count)
    assert not Job.objects.filter(kind=JobKind.EXPORT).exists()

    response = client.get(export, headers=ASYNC)
    assert response.status_code == 202, response.content
    body = response.json()
    job = Job.objects.get(pk=body["id"])
    assert response["Location"] == body["url"] and body["url"].endswith(f"/api/jobs/{job.pk}/")
    assert response["Preference-Applied"] == "respond-async"
    assert job.kind == JobKind.EXPORT and job.state == JobState.SUCCEEDED, job.errors
    # what the caller asked, not a query: the path and its query string
    path, _sep, query = export.partition("?")
    assert job.options["api"] == path and job.options["params"] == query
    assert job.counts == {"rows": len(expected) - 1}
    seen = client.get(body["url"]).json()
    assert seen["finished"] is True and seen["file_url"].endswith(f"/api/jobs/{job.pk}/file/")
    assert _rows(_download(client, seen["file_url"])) == expected


def test_the_job_exports_its_starters_scope(login, world):
    """The county's job holds the county's rows, the city leader's the city's: each the
    caller's own immediate export."""
    files = {}
    for user in ("beishan_staff", "leader"):
        client = login(user)
        immediate = _rows(client.get("/api/eia/projects/export/").content)
        body = client.get("/api/eia/projects/export/", headers=ASYNC).json()
        files[user] = _rows(_download(client, body["file_url"]))
        assert files[user] == immediate, user
    assert len(files["beishan_staff"]) < len(files["leader"])


def test_a_large_api_export_is_a_job_without_the_header(login, world, settings):
    client = login("leader")
    url = "/api/enforcement/cases/export/"
    rows = len(_rows(client.get(url).content)) - 1
    assert rows >= 2
    settings.ECOGOV_EXPORT_JOB_ROWS = rows  # at the threshold: immediate, as before
    response = client.get(url)
    assert response.status_code == 200 and not Job.objects.filter(kind=JobKind.EXPORT).exists()
    settings.ECOGOV_EXPORT_JOB_ROWS = rows - 1  # above it: the job
    response = client.get(url)
    assert response.status_code == 202 and "Preference-Applied" not in response
    job = Job.objects.get(pk=response.json()["id"])
    assert job.counts == {"rows": rows} and response.json()["file_url"]


def test_someone_elses_export_job_and_file_are_refused(login, world):
    client = login("beishan_staff")
    body = client.get("/api/eia/projects/export/", headers=ASYNC).json()
    job_url, file_url = body["url"], body["file_url"]
    other = login("nanhu_staff")
    assert other.get(job_url).status_code == 404
    assert other.get(file_url).status_code == 404
    admin = login("sysadmin")
    assert admin.get(file_url).status_code == 200


def test_a_job_without_a_file_has_none(login, world):
    """An import's job has counts, no file: no file_url, and its file address answers 404."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecogov.matters.ledger import template

    client = login("leader")
    response = client.post(
        "/api/matters/matters/import/",
        {"file": SimpleUploadedFile("p.xlsx", template("petition")), "kind": "petition"},
        headers=ASYNC,
    )
    assert response.status_code == 202 and response.json()["file_url"] is None
    assert client.get(f"/api/jobs/{response.json()['id']}/file/").status_code == 404


def test_an_invalid_filter_is_refused_at_once_without_a_job(login, world):
    client = login("leader")
    response = client.get("/api/eia/projects/export/?state=nonsense", headers=ASYNC)
    assert response.status_code == 400, response.content
    assert not Job.objects.filter(kind=JobKind.EXPORT).exists()


@pytest.mark.parametrize(
    "path",
    ["/api/core/entities/", "/api/core/entities/import/", "/api/jobs/x/", "/admin/", "/nowhere/"],
)
def test_an_api_export_job_runs_only_an_export_action(world, path):
    """A job's path must resolve to a viewset's `export`: the list itself, another action or
    any other address fails the job (nothing else runs)."""
    from ecogov.core import jobs

    job = jobs.job_start(
        actor=world.user("leader"),
        kind=JobKind.EXPORT,
        title="x",
        options={
            "api": path,
            "params": "",
            "export": "ecogov.core.ledger.export_entities",
            "options": {},
            "name": "x",
        },
    )
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.errors == ["导出任务指定的接口无效。"]
