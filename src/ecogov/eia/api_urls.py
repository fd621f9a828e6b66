from rest_framework.routers import DefaultRouter

from ecogov.eia import api

router = DefaultRouter()
router.register("projects", api.EiaProjectViewSet, basename="eia-project")
router.register("screenings", api.ScreeningViewSet, basename="eia-screening")
router.register("units", api.ControlUnitViewSet, basename="eia-unit")
urlpatterns = router.urls
