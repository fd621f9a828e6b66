"""Mounted at /api/figures/ by ecogov/urls.py."""

from django.urls import path

from .api import FiguresView

urlpatterns = [path("", FiguresView.as_view(), name="api-figures")]
