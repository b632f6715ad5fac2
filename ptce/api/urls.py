from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from .router import router


class NoSuchEndpoint(APIView):
    """Any other address under /api/v1/ (`/api/v1/members/0.5/`): the API's JSON 404 instead of the site's HTML
    page, so that clients can rely on the error shape of ptce.api.errors for every answer."""

    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        raise NotFound()


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    # Last, and only for paths ending with a slash: `/api/v1/members` keeps its redirect to `/api/v1/members/`.
    re_path(r"^.*/$", NoSuchEndpoint.as_view()),
]
