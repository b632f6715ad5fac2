"""The single API router: each app registers its viewsets here, in layer order."""

from rest_framework.routers import APIRootView, DefaultRouter

from members.api.permissions import ANY_SCOPE
from members.api.views import MemberViewSet, SiteViewSet
from waste_flows.api.views import EwcCodeViewSet, InventoryViewSet, MaterialViewSet, StreamViewSet, UnitViewSet


class PtceApiRootView(APIRootView):
    """The list of endpoints: any valid key may read it, whatever its scopes."""

    required_scopes = {"read": ANY_SCOPE, "write": None}


router = DefaultRouter()
router.APIRootView = PtceApiRootView

router.register("members", MemberViewSet, basename="member")
router.register("sites", SiteViewSet, basename="site")
router.register("ewc-codes", EwcCodeViewSet, basename="ewc-code")
router.register("materials", MaterialViewSet, basename="material")
router.register("units", UnitViewSet, basename="unit")
router.register("streams", StreamViewSet, basename="stream")
router.register("inventory", InventoryViewSet, basename="inventory")

# --- matches (waste_flows/api/match_views.py) ---
from waste_flows.api.match_views import ChannelViewSet, MatchRunViewSet, MatchViewSet  # noqa: E402

router.register("match-runs", MatchRunViewSet, basename="match-run")
router.register("matches", MatchViewSet, basename="match")
router.register("channels", ChannelViewSet, basename="channel")
# --- end matches ---

# --- projects (projects/api/views.py) ---
from projects.api.views import ProjectViewSet  # noqa: E402

router.register("projects", ProjectViewSet, basename="project")
# --- end projects ---

# --- stats (ptce/api/stats.py) ---
from .stats import StatsViewSet  # noqa: E402

router.register("stats", StatsViewSet, basename="stats")
# --- end stats ---
