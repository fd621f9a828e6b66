"""The public portal under /portal/ (the root URL leads here; ecogov/urls.py). Every page only
reads public records: from the read replica when there is one (core/replica.py)."""

from django.urls import path

from ecogov.core.replica import reads_replica

from . import feeds, views

urlpatterns = [
    path("", reads_replica(views.index), name="portal-index"),
    path("airquality/", reads_replica(views.air_quality), name="portal-airquality"),
    path("draws/verify/", reads_replica(views.verify), name="portal-verify"),
    path("draws/<int:pk>/<str:which>.txt", reads_replica(views.draw_file), name="portal-draw-file"),
    path("reports/<int:pk>/docx/", reads_replica(views.report_docx), name="portal-report-docx"),
    path("reports/<int:pk>/text/", reads_replica(views.report_page), name="portal-report-page"),
    path("<slug:key>/", reads_replica(views.list_page), name="portal-list"),
    path("<slug:key>/csv/", reads_replica(views.list_csv), name="portal-list-csv"),
    path("<slug:key>/xlsx/", reads_replica(views.list_xlsx), name="portal-list-xlsx"),
    path("<slug:key>/atom/", reads_replica(feeds.ListFeed()), name="portal-list-atom"),
    path("<slug:key>/<int:pk>/", reads_replica(views.record), name="portal-record"),
]
