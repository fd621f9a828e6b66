"""Every back-office screen stands on the project's admin base (one place for what all need)."""

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

from ecogov.core.admin.base import AdminBase


def test_every_registered_screen_uses_the_project_base():
    # DRF's token screen is granted to no role (superuser only) and keeps its own base.
    outside = [type(model_admin).__name__ for model, model_admin in admin.site._registry.items()
               if not isinstance(model_admin, AdminBase) and model is not TokenProxy]
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
    for model, url in ((EiaProject, "/admin/eia/eiaproject/%d/change/"),
                       (Permit, "/admin/permits/permit/%d/change/")):
        url = url % model.objects.order_by("pk").first().pk
        page = client.get(url)
        form_id = next(f"{model._meta.model_name}_form" for _ in [0])
        data = form_data(page.content.decode(), form_id)
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.content.decode()[:2000]
