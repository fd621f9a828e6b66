"""Back-office screens of the permits app: lists, forms, the 办理 page, imports, dashboard."""

from django.urls import reverse

from ecogov.permits.models import Permit, Registration


def test_lists_and_forms_render_within_scope(login, world):
    client = login("beishan_staff")
    for name in ("permit", "registration", "executionreport"):
        assert client.get(reverse(f"admin:permits_{name}_changelist")).status_code == 200, name
    own = Permit.objects.filter(division__name="北山县").first()
    other = Permit.objects.filter(division__name="南湖县").first()
    assert client.get(reverse("admin:permits_permit_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:permits_permit_change", args=[other.pk])).status_code in (
        302,
        404,
    )
    registration = Registration.objects.filter(division__name="北山县").first()
    assert (
        client.get(reverse("admin:permits_registration_change", args=[registration.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:permits_permit_import_xlsx")).status_code == 200


def test_the_step_page_records_a_report_and_shows_errors(login, world, issue):
    permit = issue()
    client = login("beishan_staff")
    url = reverse("admin:permits_permit_handle_step", args=[permit.pk])
    done = client.post(
        url, {"step": "report", "day": "2025-04-20", "year": 2025, "period": "q1", "reason": ""}
    )
    assert done.status_code == 302
    again = client.post(url, {"step": "report", "day": "2025-04-21", "year": 2025, "period": "q1"})
    assert "已登记" in again.content.decode()
    assert permit.reports.count() == 1


def test_dashboard_lists_the_permit_reminders(login, world):
    html = login("leader").get("/admin/").content.decode()
    assert "延续申请" in html and "有效排污许可证" in html


def test_dashboard_counters_link_to_working_lists(login, world):
    from ecogov.permits import queries

    client = login("leader")
    for counter in queries.counters(world.user("leader"), 2020):
        assert client.get(counter.url).status_code == 200, counter.url


def test_the_add_forms_issue_through_the_services_and_show_the_site_rule(login, world, issue):
    held = issue(site="北山县后台厂区1号")
    client = login("eia_staff")
    url = reverse("admin:permits_permit_add")
    form = {
        "entity": held.entity.pk,
        "division": held.division.pk,
        "site": "北山县后台厂区1号",
        "management_class": "key",
        "issued_on": "2025-06-01",
        "pollutants": "[]",
        "rectification_items": "[]",
        "permit_number": "",
    }
    page = client.post(url, form)
    assert page.status_code == 200 and held.permit_number in page.content.decode()
    done = client.post(url, {**form, "site": "北山县后台厂区2号"})
    assert done.status_code == 302
    assert Permit.objects.get(site="北山县后台厂区2号").events.get().type == "issued"
    county = login("beishan_staff")
    registration = {
        "unit_name": "北山后台洗车场",
        "credit_code": held.entity.credit_code,
        "division": held.division.pk,
        "address": "北山县后台路1号",
        "filed_on": "2025-06-01",
        "registration_number": "",
    }
    assert county.post(reverse("admin:permits_registration_add"), registration).status_code == 302
    again = county.post(reverse("admin:permits_registration_add"), registration)
    assert "不能重复登记" in again.content.decode()
