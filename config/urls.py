from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import views as account_views

admin.site.site_header = _("Tugi administration")
admin.site.site_title = _("Tugi")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", account_views.health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", include("cases.urls")),
    path("assessments/", include("assessments.urls")),
    path("components/", include("components.urls")),
    path("providers/", include("providers.urls")),
    path("billing/", include("billing.urls")),
    path("documents/", include("archive.urls")),
    path("reports/", include("reporting.urls")),
    # One login page for everyone, the admin site included (lock-out and all).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
