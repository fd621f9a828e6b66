"""The public portal under /portal/ (the root URL leads here; ecogov/urls.py)."""

from django.urls import path

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
