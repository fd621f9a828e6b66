from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public disclosure portal (信息公开): pages for everyone, no sign-in (docs/portal.md).

    It knows no area's models: each area hands over its public records through functions in
    its own `queries.py` (`public_*` and `public_*_row`), which return only what is public;
    the portal renders them as pages, CSV and .xlsx downloads and Atom feeds."""

    name = "ecogov.portal"
    label = "portal"
    verbose_name = "信息公开"
