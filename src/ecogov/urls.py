from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ecogov.core import api_jobs as core_api_jobs
from ecogov.core import views as core_views

urlpatterns = [
    # the public portal is the site's front page; the back office stays at /admin/
    path("", RedirectView.as_view(pattern_name="portal-index", permanent=False)),
    # the air-quality page moved under the portal; the old address (and its query) leads there
    path(
        "airquality/",
        RedirectView.as_view(pattern_name="portal-airquality", permanent=True, query_string=True),
    ),
    # the addresses the public tries for an area's disclosures lead to the portal's lists
    path("inspections/", RedirectView.as_view(url="/portal/inspections/", query_string=True)),
    path("enforcement/", RedirectView.as_view(url="/portal/penalties/", query_string=True)),
    path("admin/area/<slug:key>/", core_views.area_placeholder, name="ecogov-area"),
    # the own-password page of the admin site, through the account service (audited)
    path(
        "admin/password_change/",
        admin.site.admin_view(core_views.password_change),
        name="ecogov-password-change",
    ),
    # every uploaded file leaves here, as a download (docs/security.md, "上传与下载")
    path(
        "admin/attachments/<int:pk>/download/",
        admin.site.admin_view(core_views.attachment_download),
        name="ecogov-attachment-download",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the interactive docs are for signed-in staff: the login page, not a bare 401. The split
    # view serves its start-up script as a file: no inline script (Content-Security-Policy)
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema"), login_url="admin:login"
        ),
        name="api-docs",
    ),
    path("api/core/", include("ecogov.core.api_urls")),
    path("api/jobs/<uuid:pk>/", core_api_jobs.JobView.as_view(), name="api-job"),
    path("api/jobs/<uuid:pk>/file/", core_api_jobs.JobFileView.as_view(), name="api-job-file"),
    path("api/figures/", include("ecogov.reports.figures_urls")),
]

# Errors Django answers itself are JSON in the API's one shape under /api/, pages elsewhere.
handler400 = "ecogov.core.api_errors.bad_request"
handler404 = "ecogov.core.api_errors.page_not_found"
handler500 = "ecogov.core.api_errors.server_error"

# Each area's REST endpoints under /api/<area>/ and its public pages under /<area>/.
for app in settings.AREA_APPS:
    area = app.rsplit(".", 1)[1]
    if find_spec(f"{app}.api_urls"):
        urlpatterns.append(path(f"api/{area}/", include(f"{app}.api_urls")))
    if find_spec(f"{app}.urls"):
        urlpatterns.append(path(f"{area}/", include(f"{app}.urls")))
