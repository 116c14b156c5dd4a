"""The interventions' API routes, included from youthcase/urls.py under api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from interventions.api import group_work, mentoring

router = SimpleRouter()
router.register("mentoring/mentors", mentoring.MentorViewSet, basename="mentor")
router.register("mentoring/matches", mentoring.MatchViewSet, basename="mentor-match")
router.register("group-activities", group_work.GroupActivityViewSet, basename="group-activity")
router.register("follow-up-flags", group_work.FollowUpFlagViewSet, basename="follow-up-flag")

urlpatterns = router.urls
