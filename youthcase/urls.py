from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.views import SignInView

# The API docs under the Content Security Policy (docs/SECURITY.md): Swagger UI is
# started by a script file (drf-spectacular's split view), never an inline script.
# Redoc builds its styles at run time (styled-components inserts <style> elements),
# so its page alone may use inline styles, and its search runs in a blob: worker;
# scripts stay 'self' only there too.
api_docs = SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="accounts/api_docs_swagger.html")
api_redoc = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema", template_name="accounts/api_docs_redoc.html")
)

urlpatterns = [
    path("", include("cases.urls")),
    path("", include("interventions.urls")),
    path("", include("outcomes.urls")),
    path("", include("accounts.urls")),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cases.api.urls")),
    path("api/v1/", include("interventions.api.urls")),
    path("api/v1/", include("outcomes.api.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", api_docs, name="api-docs"),
    path("api/v1/redoc/", api_redoc, name="api-redoc"),
]
