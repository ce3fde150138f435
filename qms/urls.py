import warnings

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from qms import views
from qms.accounts import views as account_views
from qms.lib.converters import BoundedIntConverter
from qms.organization import views as organization_views

# Every `<int:…>` of the project is at most 18 digits, so a 30-digit id is a plain 404. Set
# here, before the apps' URL modules below are imported (a pattern binds its converter when it
# is built). Django 5.1+ warns that replacing a built-in converter will be refused in 6.0: on
# that upgrade, register it as "id" and write `<id:…>` in the patterns instead.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Converter 'int' is already registered")
    register_converter(BoundedIntConverter, "int")

# Django's admin is kept for emergencies; it says whose it is and links back to the app, where
# provinces and agencies are managed (organization:agency_admin).
admin.site.site_header = _("e-ISO – system administration")
admin.site.site_title = _("e-ISO")
admin.site.site_url = "/"

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("qms.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's login page offers "forgotten your password?" when this name exists.
    path(
        "admin/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("", include("qms.organization.urls")),
    path("", include("qms.paperwork.urls")),
    path("", include("qms.agenda.urls")),
    path("", include("qms.plans.urls")),
    path("", include("qms.procedures.urls")),
    path("", include("qms.objectives.urls")),
    path("", include("qms.risks.urls")),
    path("", include("qms.corrective.urls")),
    path("", include("qms.audits.urls")),
    path("", include("qms.review.urls")),
    path("", include("qms.training.urls")),
    path("", include("qms.documents.urls")),
]
