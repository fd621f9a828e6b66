"""The public portal under /portal/ (the root URL leads here; ecogov/urls.py). Every page only
reads public records: from the read replica when there is one (core/replica.py)."""

from django.urls import path

from ecogov.core.replica import reads_replica

from . import feeds, views

urlpatterns = [
    path("", views.index, name="portal-index"),
    path("airquality/", views.air_quality, name="portal-airquality"),
    path("draws/verify/", views.verify, name="portal-verify"),
    path("draws/<int:pk>/<str:which>.txt", views.draw_file, name="portal-draw-file"),
    path("reports/<int:pk>/docx/", views.report_docx, name="portal-report-docx"),
    path("reports/<int:pk>/text/", views.report_page, name="portal-report-page"),
    path("<slug:key>/", views.list_page, name="portal-list"),
    path("<slug:key>/csv/", views.list_csv, name="portal-list-csv"),
    path("<slug:key>/xlsx/", views.list_xlsx, name="portal-list-xlsx"),
    path("<slug:key>/atom/", feeds.ListFeed(), name="portal-list-atom"),
    path("<slug:key>/<int:pk>/", views.record, name="portal-record"),
]
# every page only reads public records: from the read replica when there is one
for _pattern in urlpatterns:
    _pattern.callback = reads_replica(_pattern.callback)
