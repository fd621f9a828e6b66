"""Every back-office screen stands on the project's admin base (one place for what all need)."""

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from ecogov.core.admin.base import AdminBase


def test_every_registered_screen_uses_the_project_base():
    # DRF's token screen is granted to no role (superuser only) and keeps its own base.
    outside = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AdminBase) and model is not TokenProxy
    ]
    assert outside == []


def test_a_record_without_history_tables_has_a_history_page(world, login):
    from ecogov.enforcement.models import Payment

    payment = Payment.objects.first()
    response = login("leader").get(f"/admin/enforcement/payment/{payment.pk}/history/")
    assert response.status_code == 200


def form_data(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would submit from the page's form, unchanged."""
    import lxml.html

    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return [(name, value) for name, value in form.form_values()]


def test_saving_an_unchanged_record_with_service_written_inlines(world, login):
    """The change page's read-only inlines are never saved; the change message must not need
    them (it crashed with AttributeError: 'EiaPauseFormSet' object has no attribute 'new_objects')."""
    from urllib.parse import urlencode

    from ecogov.eia.models import EiaProject
    from ecogov.permits.models import Permit

    client = login("leader")
    from ecogov.eia.models import OPEN_STATES

    for records, url in (
        (EiaProject.objects.filter(state__in=OPEN_STATES), "/admin/eia/eiaproject/%d/change/"),
        (Permit.objects.all(), "/admin/permits/permit/%d/change/"),
    ):
        model = records.model
        url = url % records.order_by("pk").first().pk
        page = client.get(url)
        form_id = next(f"{model._meta.model_name}_form" for _ in [0])
        data = form_data(page.content.decode(), form_id)
        response = client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def test_saving_an_assigned_matter_unchanged(world, login):
    """The matters' change pages carry the units as a read-only inline (it crashed with
    'MatterUnitFormSet' object has no attribute 'new_objects')."""
    import re
    from urllib.parse import urlencode

    client = login("leader")
    for kind in ("rectification", "petition", "proposal", "campaigntask"):
        listing = client.get(f"/admin/matters/{kind}/").content.decode()
        url = re.search(rf'href="(/admin/matters/{kind}/\d+/change/)[^"]*"', listing).group(1)
        data = form_data(client.get(url).content.decode(), f"{kind}_form")
        assert any(name.startswith("units-") for name, _value in data), kind
        response = client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 302, (kind, response.content.decode()[-3000:])


def test_a_decided_project_is_shown_without_a_save_button(world, login):
    """Saving would be refused ("已作出决定的项目只能撤销或重新申请"): the page must not offer it."""
    from ecogov.eia.models import OPEN_STATES, EiaProject

    decided = EiaProject.objects.exclude(state__in=OPEN_STATES).order_by("pk").first()
    html = login("leader").get(f"/admin/eia/eiaproject/{decided.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert decided.name in html


def test_a_typed_code_is_editable_when_added_then_shown_as_code(world, login):
    """FixedCodeMixin: outlines and reviews refer to the code; after adding, it is a key shown
    in <code>, not a word for the reader (the crawl's raw-code check reads it so)."""
    from ecogov.legal.models import Theme

    c = login("legal")
    t = Theme.objects.first()
    html = c.get(f"/admin/legal/theme/{t.pk}/change/").content.decode()
    assert f"<code>{t.code}</code>" in html and 'name="code"' not in html
    add = c.get("/admin/legal/theme/add/").content.decode()
    assert 'name="code"' in add
    lst = c.get("/admin/legal/theme/").content.decode()
    assert f"<code>{t.code}</code>" in lst
    assert "<code>" in c.get("/admin/legal/reviewkind/").content.decode()
    assert "<code>" in c.get("/admin/matters/source/").content.decode()


def test_a_version_in_the_history_is_named_in_chinese(world, login):
    from ecogov.core.models import RegulatedEntity

    version = RegulatedEntity.history.order_by("-history_id").first()
    assert str(version).startswith(f"{version.history_object}(") and "的版本" in str(version)
    html = (
        login("auditadmin")
        .get(f"/admin/core/historicalregulatedentity/{version.history_id}/change/")
        .content.decode()
    )
    assert " as of " not in html and "的版本" in html


def test_an_empty_or_deleted_reference_in_the_history_reads_in_chinese(world):
    from django.contrib.auth.models import User
    from simple_history.models import DeletedObject, ModelChange

    from ecogov.core.admin.base import _LabelledHistory
    from ecogov.legal.models import NormativeDocument

    helper = _LabelledHistory(NormativeDocument, None)
    change = ModelChange("issued_by", None, None)
    assert helper.prepare_delta_change_value(change, DeletedObject(User, None)) == "—"
    assert helper.prepare_delta_change_value(change, DeletedObject(User, 7)) == "已删除的用户"


def test_every_screen_counts_a_filtered_list_once():
    """show_full_result_count is off in the base: no second COUNT of the whole table per page."""
    outside = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, AdminBase) and model_admin.show_full_result_count
    ]
    assert outside == []


def test_every_list_pages_fifty_rows(world, login):
    """50 rows a page (AdminBase.list_per_page): 100 of the theme's rows took ~700 KB of HTML."""
    from django.urls import reverse

    from ecogov.matters.models import Petition

    assert Petition.objects.visible_to(world.user("leader")).count() > 50
    html = login("leader").get(reverse("admin:matters_petition_changelist")).content.decode()
    assert html.count('name="_selected_action"') == 50
    too_many = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, AdminBase) and model_admin.list_per_page > 50
    ]
    assert too_many == []


def test_an_added_record_is_the_one_the_service_saved(world, login):
    """`AdminBase.adopt`: on an add page the service writes the record; the screen then goes
    on to that record (save and continue editing), and nothing is saved a second time."""
    from django.urls import reverse

    from ecogov.matters.models import Aspect, Measure, Source
    from ecogov.matters.workflow import Kind

    client = login("leader")
    source = Source.objects.filter(kind=Kind.TASK).first()
    number = (max(source.aspects.values_list("number", flat=True), default=0) or 0) + 1
    response = client.post(
        reverse("admin:matters_aspect_add"),
        {"source": source.pk, "number": number, "name": "新方面", "_continue": "1"},
    )
    aspect = Aspect.objects.get(source=source, number=number)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:matters_aspect_change", args=[aspect.pk])
    response = client.post(
        reverse("admin:matters_measure_add"),
        {"aspect": aspect.pk, "number": 1, "text": "新措施", "_continue": "1"},
    )
    measure = Measure.objects.get(aspect=aspect)
    assert response["Location"] == reverse("admin:matters_measure_change", args=[measure.pk])
    assert Measure.objects.filter(text="新措施").count() == 1
