"""Back-office screens of the EIA app: lists, forms, the 办理 and review pages, imports, dashboard."""

import datetime as dt
import json

from django.urls import reverse

from ecogov.eia import queries, services
from ecogov.eia.models import ControlUnit, EiaProject, ZoningScreening

D = dt.date


def test_lists_and_forms_render_within_scope(login, world):
    client = login("beishan_staff")
    for name in ("eiaproject", "zoningscreening", "controlunit", "zoningdataset"):
        assert client.get(reverse(f"admin:eia_{name}_changelist")).status_code == 200, name
    own = EiaProject.objects.filter(division__name="北山县").first()
    other = EiaProject.objects.filter(division__name="南湖县").first()
    page = client.get(reverse("admin:eia_eiaproject_change", args=[own.pk]))
    assert page.status_code == 200 and own.reference in page.content.decode()
    assert client.get(reverse("admin:eia_eiaproject_change", args=[other.pk])).status_code in (
        302,
        404,
    )
    assert client.get(reverse("admin:eia_eiaproject_add")).status_code == 200
    assert login("viewer").get(reverse("admin:eia_eiaproject_changelist")).status_code == 200


def test_the_step_page_runs_a_service_and_shows_its_errors(login, world, submit):
    project = submit()
    client = login("beishan_staff")
    url = reverse("admin:eia_eiaproject_handle_step", args=[project.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"step": "accept", "day": "2026-03-01"})
    assert "早于申请日期" in refused.content.decode()
    done = client.post(url, {"step": "accept", "day": "2026-03-05"})
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.state == "accepted"
    assert login("viewer").get(url).status_code == 403


def test_review_page_confirms_a_proposal(login, world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(
        actor=staff,
        project=submit(
            industry_code="C2611", location={"type": "Point", "coordinates": [110.03, 27.1]}
        ),
        accepted_on=D(2026, 3, 5),
    )
    screening = services.project_screen(actor=staff, project=project)
    client = login("leader")
    url = reverse("admin:eia_zoningscreening_review_step", args=[screening.pk])
    assert "red_line" in client.get(url).content.decode()
    assert client.post(url, {"outcome": "confirm", "reason": "红线"}).status_code == 302
    assert ZoningScreening.objects.get(pk=screening.pk).review == "confirmed"


def test_unit_import_page_reports_bad_polygons(login, world):
    client = login("leader")
    url = reverse("admin:eia_controlunit_import_geojson")
    bowtie = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[110.0, 28.5], [110.1, 28.6], [110.1, 28.5], [110.0, 28.6], [110.0, 28.5]]
                    ],
                },
                "properties": {"code": "ZH99012130077", "name": "蝴蝶", "class": "一般管控"},
            }
        ],
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("units.geojson", json.dumps(bowtie).encode())
    page = client.post(url, {"file": upload})
    assert page.status_code == 200 and "ZH99012130077" in page.content.decode()
    assert not ControlUnit.objects.filter(code="ZH99012130077").exists()


def test_excel_pages(login, world):
    client = login("beishan_staff")
    assert client.get(reverse("admin:eia_eiaproject_import_xlsx")).status_code == 200
    own = EiaProject.objects.filter(division__name="北山县").values_list("pk", flat=True)[:3]
    response = client.post(
        reverse("admin:eia_eiaproject_changelist"),
        {"action": "export_xlsx", "_selected_action": [str(pk) for pk in own]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_due_and_overdue_steps_reach_the_dashboard(login, world, submit):
    staff = world.user("beishan_staff")
    waiting = submit(submitted_on=D(2026, 3, 2))  # acceptance check due 9 March: overdue
    accepted = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    services.pause_start(actor=staff, project=accepted, kind="hearing", started_on=D(2026, 3, 9))
    found = {p.pk: s for p, s in queries.due_steps_for(staff, today=D(2026, 3, 20))}
    assert found[waiting.pk].step == "acceptance_check" and found[waiting.pk].due == D(2026, 3, 9)
    assert accepted.pk not in found  # its clock stands still during the hearing
    items = queries.overdue_items(staff)
    assert any(waiting.reference in i.label and i.due == D(2026, 3, 9) for i in items)
    assert not any(
        waiting.reference in i.label for i in queries.overdue_items(world.user("nanhu_staff"))
    )
    html = login("beishan_staff").get("/admin/").content.decode()
    assert waiting.reference in html and "在办环评项目" in html


def test_dashboard_counters_link_to_working_lists(login, world):
    client = login("leader")
    for counter in queries.counters(world.user("leader"), 2020):
        assert client.get(counter.url).status_code == 200, counter.url


def _add_form(world, **overrides):
    data = {
        "name": "后台登记项目",
        "builder": world.entity_in("北山县").pk,
        "division": world.division("北山县").pk,
        "industry_code": "C1351",
        "document_type": "form",
        "level": "county",
        "procedure": "review",
        "longitude": "110.2",
        "latitude": "27.1",
        "total_investment": "500",
        "env_investment": "20",
        "fact_industry_policy_ok": "yes",
        "fact_planning_eia_ok": "",
        "submitted_on": "2026-03-02",
    }
    data.update(overrides)
    return data


def test_the_add_form_submits_through_the_service_and_shows_errors_by_field(login, world):
    client = login("beishan_staff")
    url = reverse("admin:eia_eiaproject_add")
    outside = client.post(url, _add_form(world, longitude="110.45"))
    assert outside.status_code == 200 and "不在北山县范围内" in outside.content.decode()
    half = client.post(url, _add_form(world, latitude=""))
    assert "经度和纬度须同时填写" in half.content.decode()
    too_much = client.post(url, _add_form(world, env_investment="900"))
    assert "不能大于总投资" in too_much.content.decode()
    assert not EiaProject.objects.filter(name="后台登记项目").exists()
    done = client.post(url, _add_form(world))
    assert done.status_code == 302
    project = EiaProject.objects.get(name="后台登记项目")
    assert project.reference.startswith("HP2026990121") and project.events.get().type == "submitted"
    # the site and the facts are entered as a person answers them, stored as the rules read them
    assert project.location == {"type": "Point", "coordinates": [110.2, 27.1]}
    assert project.facts == {"industry_policy_ok": True}
