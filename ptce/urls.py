from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve

from . import views
from .dashboards import member as member_dashboard_views
from .dashboards.coordinator import coordinator_dashboard
from .reports import views as report_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tableau-de-bord/", coordinator_dashboard, name="dashboard"),
    # --- member dashboard and yearly report (ptce/dashboards/member.py, ptce/reports/views.py) ---
    path("mon-espace/", member_dashboard_views.member_dashboard, name="member_dashboard"),
    path("rapport-annuel/", report_views.yearly_report_choose, name="yearly_report_choose"),
    path("rapport-annuel/<int:year>/", report_views.yearly_report, name="yearly_report"),
    path("rapport-annuel/<int:year>/pdf/", report_views.yearly_report_pdf, name="yearly_report_pdf"),
    # --- end member dashboard and yearly report ---
    # Before the apps' pages, which are all tried in turn: an API request, the most frequent, resolves in
    # fewer steps.
    path("api/v1/", include(("ptce.api.urls", "api"))),
    path("accounts/", include("members.auth_urls")),
    path("", include("members.urls")),
    path("", include("waste_flows.urls")),
    path("", include("projects.urls")),
    # The language switch is on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# Member logos are served by the platform itself, to logged-in users only: they are few and small, and
# this keeps the deployment to one process. Only logos: other uploads (pending imports) are never served.
urlpatterns += [
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}logos/(?P<path>.*)$",
        serve,
        {"document_root": Path(settings.MEDIA_ROOT) / "logos"},
    ),
]
