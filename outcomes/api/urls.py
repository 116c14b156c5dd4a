"""The outcomes API routes, included from youthcase/urls.py under api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from outcomes.api import indicators

router = SimpleRouter()
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")

urlpatterns = router.urls
