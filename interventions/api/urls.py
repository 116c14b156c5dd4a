"""The interventions' API routes, included from youthcase/urls.py under api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from interventions.api import group_work, housing_first, mediation, mentoring, parent_council

router = SimpleRouter()
router.register("mentoring/mentors", mentoring.MentorViewSet, basename="mentor")
router.register("mentoring/matches", mentoring.MatchViewSet, basename="mentor-match")
router.register("group-activities", group_work.GroupActivityViewSet, basename="group-activity")
router.register("follow-up-flags", group_work.FollowUpFlagViewSet, basename="follow-up-flag")
router.register("mediation-cases", mediation.MediationCaseViewSet, basename="mediation-case")
router.register("parent-councils", parent_council.ParentCouncilViewSet, basename="parent-council")
router.register("network-relations", housing_first.NetworkRelationViewSet, basename="network-relation")
router.register("cti-courses", housing_first.CtiCourseViewSet, basename="cti-course")

urlpatterns = router.urls
