from django.urls import path
from rest_framework.routers import DefaultRouter

from ecogov.permits import api

router = DefaultRouter()
router.register("permits", api.PermitViewSet, basename="permits-permit")
router.register("registrations", api.RegistrationViewSet, basename="permits-registration")
router.register("reports", api.ReportViewSet, basename="permits-report")
urlpatterns = [
    path("reminders/", api.RemindersView.as_view(), name="permits-reminders"),
    *router.urls,
]
