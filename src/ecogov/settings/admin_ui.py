"""The back office's layout (django-unfold): the sidebar grouped by the bureau's work areas.

The sidebar is built from what each area registers in ecogov.core.areas (its AppConfig.ready):
an area that has not landed shows a placeholder page.
"""

from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": _("EcoGov 生态环境局工作平台"),
    "SITE_HEADER": _("生态环境局工作平台"),
    "SITE_SUBHEADER": _("EcoGov"),
    "SITE_SYMBOL": "eco",
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "ecogov.core.dashboard.dashboard_callback",
    "COLORS": {
        "primary": {
            "50": "oklch(97.9% .021 166.113)",
            "100": "oklch(95% .052 163.051)",
            "200": "oklch(90.5% .093 164.15)",
            "300": "oklch(84.5% .143 164.978)",
            "400": "oklch(76.5% .177 163.223)",
            "500": "oklch(69.6% .17 162.48)",
            "600": "oklch(59.6% .145 163.225)",
            "700": "oklch(50.8% .118 165.612)",
            "800": "oklch(43.2% .095 166.913)",
            "900": "oklch(37.8% .077 168.94)",
            "950": "oklch(26.2% .051 172.552)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        # built per request from the areas' registrations (ecogov.core.areas)
        "navigation": "ecogov.core.areas.sidebar_navigation",
    },
}
