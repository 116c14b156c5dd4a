from __future__ import annotations

from rest_framework.routers import SimpleRouter

from cases.api import plans, views

router = SimpleRouter()
router.register("young-people", views.YoungPersonViewSet, basename="young-person")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("plans", plans.ActionPlanViewSet, basename="plan")
router.register("agreements", plans.AgreementViewSet, basename="agreement")

urlpatterns = router.urls
