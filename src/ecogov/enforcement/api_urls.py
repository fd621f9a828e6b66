from rest_framework.routers import DefaultRouter

from ecogov.enforcement import api

router = DefaultRouter()
router.register("cases", api.CaseViewSet, basename="penaltycase")
router.register("disclosures", api.DisclosureViewSet, basename="casedisclosure")
urlpatterns = router.urls
