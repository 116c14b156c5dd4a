from __future__ import annotations

from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("young-people", views.YoungPersonViewSet, basename="young-person")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("contacts", views.ContactViewSet, basename="contact")

urlpatterns = router.urls
