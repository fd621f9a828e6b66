from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("plans", api.PlanViewSet, basename="inspection-plan")
router.register("seeds", api.SeedViewSet, basename="inspection-seed")
router.register("draws", api.DrawViewSet, basename="inspection-draw")
router.register("conflicts", api.ConflictViewSet, basename="inspection-conflict")
router.register("records", api.InspectionViewSet, basename="inspection-record")
router.register("publications", api.PublicationViewSet, basename="inspection-publication")
urlpatterns = router.urls
