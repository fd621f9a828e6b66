from rest_framework.routers import DefaultRouter

from ecogov.outreach import api

router = DefaultRouter()
router.register("duty-lists", api.DutyListViewSet, basename="outreach-dutylist")
router.register("activities", api.ActivityViewSet, basename="outreach-activity")
router.register("trainings", api.TrainingViewSet, basename="outreach-training")
router.register("studies", api.StudyViewSet, basename="outreach-study")
router.register("exams", api.ExamViewSet, basename="outreach-exam")
router.register("publicity-items", api.PublicityItemViewSet, basename="outreach-publicityitem")
router.register("publicity-counts", api.PublicityCountViewSet, basename="outreach-publicitycount")
router.register("honours", api.HonourViewSet, basename="outreach-honour")
router.register("creations", api.CreationViewSet, basename="outreach-creation")
urlpatterns = router.urls
