"""The single API router: each app registers its viewsets here, in layer order."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
