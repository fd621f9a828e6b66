from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("stations", api.StationViewSet, basename="airquality-station")
router.register("observations", api.ObservationViewSet, basename="airquality-observation")
router.register("imports", api.ImportBatchViewSet, basename="airquality-import")
router.register("targets", api.TargetViewSet, basename="airquality-target")
router.register("patrols", api.PatrolViewSet, basename="airquality-patrol")
urlpatterns = [
    path("evaluation/", api.EvaluationView.as_view(), name="airquality-evaluation"),
    *router.urls,
]
