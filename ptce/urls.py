from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("members.auth_urls")),
    path("", include("members.urls")),
    # The language switch is on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include(("ptce.api.urls", "api"))),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
