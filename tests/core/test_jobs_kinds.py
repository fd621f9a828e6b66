"""The other long work as background jobs (issue 14; docs/jobs.md): the air-quality hourly
import and the draw in a real `ecogov db_worker` process (the page returns at once, the worker
does the work, the job's page links to its result), and the rest (verification, exports,
reports, the API's imports) with the test settings' immediate backend."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from ecogov.core.models import Job, JobKind, JobState


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def _csv(rows) -> bytes:
    lines = ["station,time,pollutant,value"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_an_air_quality_import_is_queued_and_a_worker_writes_it(worker, client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecogov.airquality import services
    from ecogov.airquality.models import ImportBatch, Observation, StationKind

    services.station_create(
        actor=world.user("leader"),
        data={
            "code": "W1",
            "name": "后台测试站",
            "kind": StationKind.CITY,
            "city": world.division("示例市"),
            "counts_for_city": True,
        },
    )
    hours = [f"2024-08-01T{h:02d}:00" for h in range(24)]
    rows = [["W1", h, "SO2", str(5 + n)] for n, h in enumerate(hours)] + [
        ["W1", hours[0], "CO", "x"]
    ]
    client.force_login(world.user("leader"))
    url = reverse("admin:airquality_importbatch_upload")
    response = client.post(url, {"file": SimpleUploadedFile("w1.csv", _csv(rows))})
    assert response.status_code == 302 and response["Location"].startswith("/admin/core/job/")
    job = Job.objects.get(kind=JobKind.AIR_IMPORT)
    assert (
        job.state == JobState.QUEUED and not ImportBatch.objects.filter(file_name="w1.csv").exists()
    )
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.errors
    batch = ImportBatch.objects.get(file_name="w1.csv")
    assert batch.values_added == 24 and batch.values_rejected == 1
    assert Observation.objects.filter(station__code="W1").count() == 24
    assert job.counts["added"] == 24 and job.counts["batches"] == [batch.pk]
    page = client.get(response["Location"]).content.decode()
    assert "新增 24 个数值" in page and "问题 1 处" in page
    assert reverse("admin:airquality_importbatch_change", args=[batch.pk]) in page
    # the same file again: the worker refuses nothing, writes nothing new (all unchanged)
    client.post(url, {"file": SimpleUploadedFile("w1.csv", _csv(rows))})
    _finish(worker(batch=True))
    again = Job.objects.filter(kind=JobKind.AIR_IMPORT).order_by("-created_at").first()
    assert again.state == JobState.SUCCEEDED and again.counts["unchanged"] == 24
    assert Observation.objects.filter(station__code="W1").count() == 24


def test_an_air_quality_file_without_its_columns_is_refused_by_the_worker(worker, client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecogov.airquality.models import ImportBatch

    client.force_login(world.user("leader"))
    client.post(
        reverse("admin:airquality_importbatch_upload"),
        {"file": SimpleUploadedFile("bad.csv", "站点,时间\nA,B\n".encode())},
    )
    _finish(worker(batch=True))
    job = Job.objects.get(kind=JobKind.AIR_IMPORT)
    assert job.state == JobState.REFUSED
    assert not ImportBatch.objects.filter(file_name="bad.csv").exists()
    [error] = job.errors
    assert "文件 bad.csv:表头应含" in error
    page = client.get(reverse("admin:core_job_change", args=[job.pk])).content.decode()
    assert 'id="import-errors"' in page and "表头应含" in page


def test_a_draw_is_queued_and_a_worker_draws(worker, client, world):
    from ecogov.inspections.models import Draw
    from ecogov.inspections.testing import announce, make_plan

    plan = make_plan(world)
    announce(world, plan)
    client.force_login(world.user("beishan_staff"))
    response = client.get(reverse("admin:inspections_plan_draw_now_detail", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/core/job/")
    job = Job.objects.get(kind=JobKind.DRAW)
    assert job.state == JobState.QUEUED and not plan.draws.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and "排队中" in page
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.errors
    draw = Draw.objects.get(plan=plan)
    assert draw.checks.count() == job.counts["drawn"] > 0
    page = client.get(response["Location"]).content.decode()
    assert reverse("admin:inspections_draw_change", args=[draw.pk]) in page
    # the verification, too, is a job the worker runs
    client.get(reverse("admin:inspections_draw_verify_detail", args=[draw.pk]))
    _finish(worker(batch=True))
    verify = Job.objects.get(kind=JobKind.DRAW_VERIFY)
    assert verify.state == JobState.SUCCEEDED and verify.counts == {"ok": True}
    assert "复核通过" in verify.summary
    # started again after the draw exists: refused with the reason, nothing drawn twice
    client.get(reverse("admin:inspections_plan_draw_now_detail", args=[plan.pk]))
    _finish(worker(batch=True))
    second = Job.objects.filter(kind=JobKind.DRAW).order_by("-created_at").first()
    assert second.state == JobState.REFUSED and "已于" in second.errors[0]
    assert Draw.objects.filter(plan=plan).count() == 1


# -- with the test settings' immediate backend ------------------------------------------------
EXPORTS = [  # the main ledgers' list exports: (changelist, model, sheet rows' first header)
    ("admin:core_regulatedentity_changelist", "core.regulatedentity"),
    ("admin:permits_permit_changelist", "permits.permit"),
    ("admin:eia_eiaproject_changelist", "eia.eiaproject"),
    ("admin:enforcement_penaltycase_changelist", "enforcement.penaltycase"),
]


def _open_xlsx(content: bytes):
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content), read_only=True).active


@pytest.mark.parametrize("changelist, label", EXPORTS)
def test_a_large_export_is_a_job_whose_result_is_the_workbook(
    login, world, settings, changelist, label
):
    from django.apps import apps

    client = login("leader")
    model = apps.get_model(label)
    pks = list(model.objects.visible_to(world.user("leader")).values_list("pk", flat=True)[:6])
    assert len(pks) >= 3, "the demo has too few records for this test"
    action = {"action": "export_xlsx", "_selected_action": pks}
    settings.ECOGOV_EXPORT_JOB_ROWS = len(pks)  # at the threshold: immediate, as before
    response = client.post(reverse(changelist), action)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    immediate = _open_xlsx(response.content).max_row
    assert not Job.objects.filter(kind=JobKind.EXPORT).exists()

    settings.ECOGOV_EXPORT_JOB_ROWS = len(pks) - 1  # above it: a job
    response = client.post(reverse(changelist), action, follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/core/job/")
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.counts == {"rows": len(pks)} and job.result_name.endswith(".xlsx")
    page = response.content.decode()
    download = reverse("admin:core_job_download", args=[job.pk])
    assert f'href="{download}"' in page and f"导出完成:共 {len(pks)} 条记录" in page
    file = client.get(download)
    assert file.status_code == 200 and "attachment" in file["Content-Disposition"]
    sheet = _open_xlsx(b"".join(file.streaming_content))
    assert sheet.max_row == immediate  # the same workbook as the immediate export
    # the file is the starter's: another person cannot fetch it
    assert login("nanhu_staff").get(download).status_code == 404


def test_a_large_matters_export_keeps_its_kind(login, world, settings):
    from ecogov.matters.models import Matter

    client = login("leader")
    kind = "petition"
    matters = Matter.objects.visible_to(world.user("leader")).filter(kind=kind)
    pks = list(matters.values_list("pk", flat=True)[:4])
    assert len(pks) >= 2
    settings.ECOGOV_EXPORT_JOB_ROWS = 1
    url = reverse("admin:matters_petition_changelist")
    response = client.post(url, {"action": "export_xlsx", "_selected_action": pks}, follow=True)
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.options["options"] == {"kind": kind} and job.counts == {"rows": len(pks)}
    file = client.get(reverse("admin:core_job_download", args=[job.pk]))
    assert _open_xlsx(b"".join(file.streaming_content)).max_row >= len(pks) + 1
    assert response.status_code == 200


def _entities(count: int, *, bad_row: int | None = None):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecogov.core import creditcode

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "统一社会信用代码", "行政区划代码", "监管类别", "状态"])
    for n in range(1, count + 1):
        code = creditcode.make(f"91990121MB{n:07d}")
        district = "990199" if n == bad_row else "990121"
        sheet.append([f"接口导入公司{n}", code, district, "一般排污单位", "在产"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("entities.xlsx", buffer.getvalue())


def test_an_api_import_with_respond_async_answers_202_and_the_job(login, world):
    from ecogov.core.models import RegulatedEntity

    client = login("beishan_staff")
    url = "/api/core/entities/import/"
    response = client.post(url, {"file": _entities(5)}, headers={"Prefer": "respond-async"})
    assert response.status_code == 202, response.content
    body = response.json()
    job = Job.objects.get(pk=body["id"])
    assert body["url"].endswith(f"/api/jobs/{job.pk}/") and response["Location"] == body["url"]
    assert RegulatedEntity.objects.filter(name__startswith="接口导入公司").count() == 5
    seen = client.get(f"/api/jobs/{job.pk}/").json()
    assert seen["state"] == "succeeded" and seen["finished"] is True
    assert seen["counts"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert seen["errors"] == [] and seen["page_url"].endswith(f"/admin/core/job/{job.pk}/change/")
    # without the header: immediate, as before (200 with the counts)
    again = client.post(url, {"file": _entities(5)})
    assert again.status_code == 200 and again.json()["unchanged"] == 5
    # only its starter (and the system administrator) may follow it
    assert login("nanhu_staff").get(f"/api/jobs/{job.pk}/").status_code == 404
    assert login("sysadmin").get(f"/api/jobs/{job.pk}/").status_code == 200


def test_an_api_import_of_a_large_file_runs_as_a_job_without_asking(login, world, settings):
    """More rows than ECOGOV_IMPORT_JOB_ROWS (header included): 202 and the job, without the
    Prefer header (a large file could outlast the server's request timeout); up to it, 200."""
    from ecogov.core.models import RegulatedEntity

    settings.ECOGOV_IMPORT_JOB_ROWS = 6  # the header and five rows
    client = login("beishan_staff")
    url = "/api/core/entities/import/"
    small = client.post(url, {"file": _entities(5)})
    assert small.status_code == 200 and small.json()["created"] == 5
    before = Job.objects.count()
    large = client.post(url, {"file": _entities(6)})
    assert large.status_code == 202, large.content
    assert Job.objects.count() == before + 1 and large["Location"] == large.json()["url"]
    assert client.get(large["Location"]).json()["counts"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 5,
    }
    assert RegulatedEntity.objects.filter(name__startswith="接口导入公司").count() == 6


def test_an_api_job_lists_a_refused_files_problems_in_chinese(login, world):
    from ecogov.core.models import RegulatedEntity

    client = login("beishan_staff")
    url = "/api/core/entities/import/"
    response = client.post(
        url, {"file": _entities(5, bad_row=3)}, headers={"Prefer": "respond-async"}
    )
    assert response.status_code == 202
    seen = client.get(f"/api/jobs/{response.json()['id']}/").json()
    assert seen["state"] == "refused" and seen["finished"] is True
    assert seen["state_label"] == "有错误,未写入数据"  # for an import, a draw or an export alike
    assert any("第4行" in e and "行政区划代码" in e for e in seen["errors"]), seen["errors"]
    assert not RegulatedEntity.objects.filter(name__startswith="接口导入公司").exists()
    # no workbook at all: a 400 at once, no job
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Job.objects.count()
    text = SimpleUploadedFile("a.xlsx", b"not a workbook at all")
    refused = client.post(url, {"file": text}, headers={"Prefer": "respond-async"})
    assert refused.status_code == 400 and Job.objects.count() == before


def test_an_api_matters_import_job_keeps_its_kind(login, world):
    from ecogov.matters.ledger import template

    client = login("leader")
    empty = template("petition")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/matters/matters/import/",
        {"file": SimpleUploadedFile("p.xlsx", empty), "kind": "petition"},
        headers={"Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.options["extra"] == {"kind": "petition"}
    from django.utils.module_loading import import_string

    from ecogov.matters.ledger import import_matters

    assert import_string(job.options["run"]) is import_matters and job.finished


def test_a_large_export_of_all_that_match_reads_the_screens_filters_again(login, world, settings):
    """select_across with a search: the job holds the query string and the choice, not a
    query; the worker builds the screen's list again and exports exactly those records."""
    from urllib.parse import urlencode

    from ecogov.core.models import RegulatedEntity

    client = login("leader")
    url = reverse("admin:core_regulatedentity_changelist")
    visible = RegulatedEntity.objects.visible_to(world.user("leader"))
    word = visible.first().name[:2]
    matching = visible.filter(name__icontains=word)
    expected = matching.count()
    assert 0 < expected < visible.count()
    settings.ECOGOV_EXPORT_JOB_ROWS = 0
    action = {  # as the page sends it: the rows ticked on the page and "all that match"
        "action": "export_xlsx",
        "select_across": "1",
        "index": "0",
        "_selected_action": list(matching.values_list("pk", flat=True)[:1]),
    }
    query = urlencode({"q": word})
    client.post(f"{url}?{query}", action, follow=True)
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.options["selected"] is None and job.options["params"] == query
    assert "query" not in job.options
    assert job.counts == {"rows": expected}


def test_an_export_job_runs_only_a_ledger_export(db, world):
    from ecogov.core import exports, jobs

    with pytest.raises(jobs.JobFailed):
        exports._exporter("os.system")
    with pytest.raises(jobs.JobFailed):
        exports._exporter("ecogov.core.jobs.record_success")
    assert exports._exporter("ecogov.core.ledger.export_entities").__name__ == "export_entities"


def test_an_api_import_job_runs_only_a_ledger_import(login, world):
    """The job row names what the worker runs: a row that names anything but an area's ledger
    import fails, and nothing runs."""
    client = login("beishan_staff")
    response = client.post(
        "/api/core/entities/import/", {"file": _entities(2)}, headers={"Prefer": "respond-async"}
    )
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED
    for path in ("os.system", "ecogov.core.ledger.export_entities"):
        Job.objects.filter(pk=job.pk).update(
            state=JobState.QUEUED, options={**job.options, "run": path}
        )
        from ecogov.core import jobs

        assert jobs.run_job(str(job.pk)) == JobState.FAILED
        job.refresh_from_db()
        assert job.errors == ["导入任务指定的导入方式无效。"]
