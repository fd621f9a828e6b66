"""The back office's admin site: django-unfold's, building its app list once per request.

Django asks for the app list twice on every admin page (`each_context`'s `available_apps`, and
the index view's own `app_list`); each build checks every model's permissions (~850 checks, the
dearest part of the sidebar: docs/benchmarks.md, the uncached dashboard). The first build is
kept on the request and each caller gets its own copy of the lists, so a caller that filters
its copy (the theme's search) does not change another's.
"""

from __future__ import annotations

from unfold.sites import UnfoldAdminSite

_MEMO = "_ecogov_app_list"


class EcoGovAdminSite(UnfoldAdminSite):
    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        kept = getattr(request, _MEMO, None)
        if kept is None:
            kept = super().get_app_list(request)
            setattr(request, _MEMO, kept)
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in kept]
