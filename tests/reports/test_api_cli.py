"""/api/figures/, the command line in every format, and the back office's same bytes."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from ecogov.core.models import Job, JobKind, JobState


def test_the_figures_endpoint(login, world):
    body = login("leader").get("/api/figures/?year=2020").json()
    assert body["year"] == 2020 and body["until"] is None and body["period"] == "2020年"
    figures = {f["key"]: f for f in body["figures"]}
    approved = figures["eia.approved.total"]
    assert approved == {
        **approved,
        "value": 493,
        "unit": "个",
        "kind": "count",
        "area": "eia",
        "record_count": 493,
    }
    assert approved["url"]
    assert figures["eia.investment.total"]["value"] == "218.50"  # decimals as strings
    assert figures["petitions.closure_rate"]["kind"] == "ratio"
    assert figures["core.entities.total"]["area"] == "core"


def test_the_figures_follow_the_scope(login, world):
    city = {
        f["key"]: f["value"]
        for f in login("leader").get("/api/figures/?year=2020").json()["figures"]
    }
    county = {
        f["key"]: f["value"]
        for f in login("beishan_staff").get("/api/figures/?year=2020").json()["figures"]
    }
    assert 0 < county["eia.approved.county_level"] < city["eia.approved.county_level"]
    narrowed = login("leader").get(
        f"/api/figures/?year=2020&division={world.division('北山县').code}"
    )
    by_division = {f["key"]: f["value"] for f in narrowed.json()["figures"]}
    assert by_division["core.entities.total"] == county["core.entities.total"]


@pytest.mark.parametrize(
    "query,param,words",
    [
        ("", "year", "year(年度)"),
        ("year=abc", "year", "四位年份"),
        ("year=2020&until=2020-13-01", "until", "YYYY-MM-DD"),
        ("year=2020&until=2021-01-01", "until", "年度之内"),
        ("year=2020&division=000000", "division", "不存在"),
    ],
)
def test_bad_parameters_are_named_in_chinese(world, login, query, param, words):
    response = login("leader").get(f"/api/figures/?{query}")
    assert response.status_code == 400
    assert words in response.json()[param][0]


def test_outside_the_scope_and_administrators(login, world):
    nanhu = world.division("南湖县").code
    response = login("beishan_staff").get(f"/api/figures/?year=2020&division={nanhu}")
    assert response.status_code == 400 and "不在您的数据范围内" in response.json()["division"][0]
    assert login("sysadmin").get("/api/figures/?year=2020").status_code == 403
    schema = login("leader").get("/api/schema/").content
    assert b"/api/figures/" in schema and b"figures_list" in schema


@pytest.mark.parametrize("fmt", ["docx", "html", "md", "xlsx", "json"])
def test_the_command_line_writes_each_format(fmt, tmp_path, world, login):
    out = tmp_path / f"summary.{fmt}"
    call_command(
        "summary",
        year="2020",
        format=fmt,
        out=str(out),
        dated="2020-12-29",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    data = out.read_bytes()
    if fmt == "docx":
        assert Document(io.BytesIO(data)).paragraphs[0].text.startswith("示例市生态环境局")
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
        assert rows["eia.approved.total"][3] == 493 and rows["eia.approved.total"][8] == 493
        assert float(rows["eia.investment.city_level"][3]) == 79.8
    elif fmt == "json":
        body = json.loads(data)
        figures = {f["key"]: f for f in body["figures"]}
        assert figures["eia.approved.total"]["value"] == 493
        assert figures["eia.approved.total"]["record_count"] == 493
        assert {"key", "label", "value", "unit", "kind", "record_count"} <= set(
            figures["petitions.received"]
        )
        assert any(i["kind"] == "typed" for i in body["issues"])
    elif fmt == "md":
        assert (
            "## 一、2020年工作情况" in data.decode() and "| `eia.approved.total` |" in data.decode()
        )
    else:
        assert "<html" in data.decode() and "rp-document" in data.decode()
    if fmt in ("docx", "xlsx"):  # the back office's download (a background job) is the same
        client = login("legal")
        response = client.get(
            f"/admin/reports/outline/report/?year=2020&dated=2020-12-29&download={fmt}"
        )
        assert response.status_code == 302 and response.url.startswith("/admin/core/job/")
        job = Job.objects.get(kind=JobKind.REPORT)
        assert job.state == JobState.SUCCEEDED, job.errors
        assert job.result_name.endswith(f".{fmt}") and "报告已生成" in job.summary
        page = client.get(response.url).content.decode()
        download = reverse("admin:core_job_download", args=[job.pk])
        assert f'href="{download}"' in page
        file = client.get(download)
        assert file.status_code == 200 and b"".join(file.streaming_content) == data


def test_the_command_line_refuses_bad_input(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="year"):
        call_command("summary", year="20x0", format="md", out=str(tmp_path / "x.md"))
    with pytest.raises(CommandError, match="提纲"):
        call_command(
            "summary", year="2020", outline="无此提纲", format="md", out=str(tmp_path / "x.md")
        )


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_command_line_draws_a_progress_bar_only_on_a_terminal(world, tmp_path, monkeypatch):
    from ecogov.core.areas import AREAS

    monkeypatch.setenv("TERM", "xterm-256color")
    out = tmp_path / "s.md"
    err = _Terminal()
    call_command(
        "summary", year="2020", format="md", out=str(out), stdout=io.StringIO(), stderr=err
    )
    shown = err.getvalue()
    assert "━" in shown and "计算数据项" in shown and f"{len(AREAS)}/{len(AREAS)}" in shown
    assert "生成文件" in shown and out.read_bytes()
    err = io.StringIO()
    call_command(
        "summary", year="2020", format="md", out=str(out), stdout=io.StringIO(), stderr=err
    )
    assert "━" not in err.getvalue() and "计算数据项" not in err.getvalue()
