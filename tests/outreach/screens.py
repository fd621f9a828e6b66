"""Helpers shared by the outreach and emergency screen tests: what a browser would submit."""

from urllib.parse import urlencode

import lxml.html


def form_values(html: str, form_id: str) -> list[tuple[str, str]]:
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return [(name, value) for name, value in form.form_values()]


def post_form(client, url, values, **changes):
    data = [(k, v) for k, v in values if k not in changes]
    data += [(k, v) for k, v in changes.items()]
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def save_unchanged(client, url, form_id):
    page = client.get(url)
    assert page.status_code == 200, url
    return post_form(client, url, form_values(page.content.decode(), form_id))
