from django.urls import path
from rest_framework.routers import DefaultRouter

from ecogov.core import api

router = DefaultRouter()
router.register("divisions", api.DivisionViewSet)
router.register("organisations", api.OrganisationViewSet)
router.register("entities", api.RegulatedEntityViewSet, basename="entity")
urlpatterns = [
    path(
        "attachments/<int:pk>/download/",
        api.attachment_download,
        name="attachment-download",
    ),
    *router.urls,
]
