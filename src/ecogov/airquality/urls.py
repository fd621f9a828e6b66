"""Public pages (the portal's air quality), served under /airquality/ without signing in."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.public_report, name="airquality-public"),
]
