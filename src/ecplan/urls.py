"""URL configuration. Every app contributes its own ``urls.py``; nothing here is public
except the login page (see ``ecplan.accounts.middleware.LoginRequiredMiddleware``)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("ecplan.accounts.urls")),
    path("admin/", admin.site.urls),
    path("organisations/", include("ecplan.organisations.urls")),
    path("plans/", include("ecplan.plans.urls")),
    path("audit/", include("ecplan.audit.urls")),
    path("reporting/", include("ecplan.reporting.urls")),
    path("monitoring/", include("ecplan.monitoring.urls")),
    path("workflow/", include("ecplan.workflow.urls")),
    path("", include("ecplan.web.urls")),
]
