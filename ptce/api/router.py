"""The single API router: each app registers its viewsets here, in layer order."""

from rest_framework.routers import DefaultRouter

from members.api.views import MemberViewSet, SiteViewSet

router = DefaultRouter()

router.register("members", MemberViewSet, basename="member")
router.register("sites", SiteViewSet, basename="site")
