from rest_framework.routers import DefaultRouter

from ecogov.eia import api, api_after

router = DefaultRouter()
router.register("projects", api.EiaProjectViewSet, basename="eia-project")
router.register("screenings", api.ScreeningViewSet, basename="eia-screening")
router.register("units", api.ControlUnitViewSet, basename="eia-unit")
router.register("suspensions", api_after.SuspensionViewSet, basename="eia-suspension")
router.register("rereviews", api_after.ReReviewViewSet, basename="eia-rereview")
router.register("acceptances", api_after.AcceptanceViewSet, basename="eia-acceptance")
router.register("spot-checks", api_after.SpotCheckViewSet, basename="eia-spot-check")
urlpatterns = router.urls
