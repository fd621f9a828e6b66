from django.urls import path
from rest_framework.routers import DefaultRouter

from ecogov.matters import api

router = DefaultRouter()
router.register("sources", api.SourceViewSet)
router.register("matters", api.MatterViewSet, basename="matter")
router.register("calls", api.CallViewSet, basename="call")
urlpatterns = [
    path("assessment/", api.AssessmentView.as_view(), name="matters-assessment-api"),
    *router.urls,
]
