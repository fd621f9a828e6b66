from django.urls import path
from rest_framework.routers import DefaultRouter

from ecogov.legal import api

router = DefaultRouter()
router.register("documents", api.DocumentViewSet, basename="normativedocument")
router.register("reviews", api.ReviewViewSet, basename="policyreview")
router.register("measures", api.MeasureViewSet, basename="policymeasure")
router.register("cleanups", api.CampaignViewSet, basename="cleanupcampaign")
router.register("disputes", api.DisputeViewSet, basename="disputecase")
router.register("bills", api.BillViewSet, basename="bill")
router.register("counsel-opinions", api.OpinionViewSet, basename="counselopinion")
router.register("study-sessions", api.StudyViewSet, basename="studysession")
router.register("group-meetings", api.MeetingViewSet, basename="groupmeeting")
router.register("counsel-contracts", api.CounselContractViewSet, basename="counselcontract")
router.register("leading-groups", api.LeadingGroupViewSet, basename="leadinggroup")
router.register("group-members", api.GroupMemberViewSet, basename="groupmember")
router.register("leader-duties", api.LeaderDutyViewSet, basename="leaderduty")
router.register("contract-reviews", api.ContractReviewViewSet, basename="contractreview")
urlpatterns = [
    path("review-queue/", api.ReviewQueueView.as_view(), name="legal-review-queue"),
    *router.urls,
]
