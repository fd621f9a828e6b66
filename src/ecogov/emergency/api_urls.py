from django.urls import path
from rest_framework.routers import DefaultRouter

from ecogov.emergency import api

router = DefaultRouter()
router.register("drills", api.DrillViewSet, basename="emergency-drill")
router.register("incidents", api.IncidentViewSet, basename="emergency-incident")
router.register("plans", api.ContingencyPlanViewSet, basename="emergency-plan")
urlpatterns = [
    path("reminders/", api.RemindersView.as_view(), name="emergency-reminders"),
    *router.urls,
]
