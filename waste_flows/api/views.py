"""Viewsets of the waste flows API. Reads are scoped with `visible_to(user)`; writes go through
waste_flows.services, whose ValidationError becomes the project's JSON error (ptce.api.errors)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from members.api.answer_cache import CachedAnswersMixin
from members.api.formats import GeoFormatsMixin, OpenFormatsMixin
from members.api.permissions import ANY_SCOPE, IsCoordinator
from members.enums import ApiScope, MemberRole

from ..filters import StreamFilter
from ..inventory import territory_inventory
from ..models import EwcCode, Material, MaterialUse, Stream, Unit
from ..search import ewc_entries, material_entries, rank
from ..selectors import stream_list_queryset
from ..services import stream_archive, stream_declare, stream_update
from .filters import SEARCH_LIMIT, EwcCodeFilter, MaterialFilter, RankedSearchFilter
from .serializers import (
    EwcCodeSerializer,
    MaterialSerializer,
    StreamSerializer,
    StreamWriteSerializer,
    TerritoryInventorySerializer,
    UnitSerializer,
)

# --- Reference data ---------------------------------------------------------------------------------

EWC_EXAMPLE = OpenApiExample(
    "A waste code",
    response_only=True,
    value={
        "code": "15 01 03",
        "code_display": "15 01 03",
        "level": "entry",
        "parent": "15 01",
        "chapter": "15",
        "hazardous": False,
        "description": "emballages en bois",
        "description_fr": "emballages en bois",
        "description_en": "Wooden packaging",
        "material": "wood.packaging",
    },
)
MATERIAL_EXAMPLE = OpenApiExample(
    "A material",
    response_only=True,
    value={
        "code": "wood.pallets",
        "parent": "wood",
        "family": "wood",
        "name": "Palettes",
        "name_fr": "Palettes",
        "name_en": "Pallets",
        "synonyms_fr": ["palettes bois", "palettes Europe", "EPAL"],
        "synonyms_en": ["wooden pallets", "euro pallets"],
        "kind": "material",
        "kind_label": "Matière",
        "dimension": "mass",
        "dimension_label": "masse",
        "density_kg_per_m3": None,
        "can_be_hazardous": False,
        "uses": [
            {
                "use_material": "wood.fuel",
                "use_material_name": "Bois énergie (plaquettes, granulés, broyats)",
                "note": "Palettes non traitées broyées en combustible pour chaufferie.",
                "note_fr": "Palettes non traitées broyées en combustible pour chaufferie.",
                "note_en": "Untreated pallets shredded into boiler fuel.",
                "source": "Code de l'environnement, art. L541-1",
            }
        ],
    },
)
UNIT_EXAMPLE = OpenApiExample(
    "A unit",
    response_only=True,
    value={
        "code": "t",
        "name": "Tonne",
        "name_fr": "Tonne",
        "name_en": "Tonne",
        "symbol": "t",
        "dimension": "mass",
        "dimension_label": "masse",
        "factor_to_base": "1000.000000000000",
        "note": "",
    },
)
SEARCH_DESCRIPTION = (
    f"`?search=` ranks at most the {SEARCH_LIMIT} best matches, best first; without it the list is in code order."
)


def code_parameter(description: str) -> OpenApiParameter:
    return OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description=description)


class RankedSearchMixin:
    """Views searched by `RankedSearchFilter`: they name their in-memory entries and key field."""

    search_key_field = "code"

    def search_entries(self):
        raise NotImplementedError

    def ranked_keys(self, query: str, *, limit: int) -> list[str]:
        return rank(query, self.search_entries(), limit=limit)


@extend_schema_view(
    list=extend_schema(
        summary="List waste codes",
        description=(
            "The European List of Waste (Decision 2000/532/EC as amended by 2014/955/EU): 20 chapters, 111 "
            "sub-chapters and 842 entries, in French and English, each entry mapped to a material. "
            + SEARCH_DESCRIPTION
            + " The search looks at entries only."
        ),
        examples=[EWC_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="Get a waste code",
        description="By its code with spaces, URL-encoded: `/api/v1/ewc-codes/15%2001%2003/`.",
        parameters=[code_parameter("A chapter, sub-chapter or entry code, with its spaces: `15 01 03`.")],
        examples=[EWC_EXAMPLE],
    ),
)
class EwcCodeViewSet(CachedAnswersMixin, OpenFormatsMixin, RankedSearchMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EwcCode.objects.select_related("material")
    serializer_class = EwcCodeSerializer
    required_scopes = {"read": ANY_SCOPE}  # reference data, readable with any valid API key
    filter_backends = [DjangoFilterBackend, RankedSearchFilter]
    filterset_class = EwcCodeFilter
    lookup_value_regex = "[^/]+"

    def search_entries(self):
        return ewc_entries()


@extend_schema_view(
    list=extend_schema(
        summary="List materials",
        description=(
            "The tree of resource categories: a dotted code is the path in the tree (`wood.pallets` is under "
            "`wood`), and the roots are the families. `uses` lists the needs a material can feed, with their "
            "legal or technical source. " + SEARCH_DESCRIPTION
        ),
        examples=[MATERIAL_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="Get a material",
        description="A material with its parent, its family, its synonyms and the needs it can feed.",
        parameters=[code_parameter("The material's dotted code: `wood.pallets`.")],
        examples=[MATERIAL_EXAMPLE],
    ),
)
class MaterialViewSet(CachedAnswersMixin, OpenFormatsMixin, RankedSearchMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Material.objects.select_related("parent").prefetch_related(
        Prefetch("uses", queryset=MaterialUse.objects.select_related("use_material").order_by("use_material__code"))
    )
    serializer_class = MaterialSerializer
    required_scopes = {"read": ANY_SCOPE}  # reference data, readable with any valid API key
    filter_backends = [DjangoFilterBackend, RankedSearchFilter]
    filterset_class = MaterialFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def search_entries(self):
        return material_entries()


@extend_schema_view(
    list=extend_schema(
        summary="List units",
        description=(
            "Units of declared quantities, with their dimension and their factor to the dimension's base unit "
            "(kg, m3, kWh, m2, h, piece): annual quantities of streams are in that base unit."
        ),
        examples=[UNIT_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="Get a unit",
        parameters=[code_parameter("The unit's code: `t`, `MWh`, `m3`.")],
        examples=[UNIT_EXAMPLE],
    ),
)
class UnitViewSet(CachedAnswersMixin, OpenFormatsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    required_scopes = {"read": ANY_SCOPE}  # reference data, readable with any valid API key
    filter_backends = []
    pagination_class = None  # a dozen rows


# --- Streams ----------------------------------------------------------------------------------------


class CanDeclareStreamsOrReadOnly(BasePermission):
    """The coordination declares for any member; a member's admins and editors for their own organisation.
    The service checks it again."""

    message = _("Seuls la coordination et les administrateurs ou éditeurs d'un membre peuvent déclarer des flux.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return user.is_coordinator or (
            user.member_id is not None and user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)
        )

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or request.user.can_edit_member(obj.site.member)


STREAM_EXAMPLE = OpenApiExample(
    "An offer",
    response_only=True,
    value={
        "id": 42,
        "direction": "offer",
        "direction_label": "Offre (ce que le site produit ou met à disposition)",
        "kind": "waste",
        "kind_label": "Déchet",
        "member": {"id": 12, "name": "Recyclerie du Val de Fensch"},
        "site": {
            "id": 31,
            "name": "Atelier de Hayange",
            "commune": "Hayange",
            "latitude": 49.3298,
            "longitude": 6.062,
        },
        "material": {"code": "wood.pallets", "name": "Palettes", "dimension": "mass"},
        "ewc": {
            "code": "15 01 03",
            "code_display": "15 01 03",
            "hazardous": False,
            "description": "emballages en bois",
        },
        "is_hazardous": False,
        "description": "Palettes cassées, non traitées, stockées sous abri.",
        "quantity": "1.000",
        "unit": "t",
        "unit_symbol": "t",
        "period": "month",
        "period_label": "par mois",
        "annual_quantity": "12000.000",
        "base_unit": "kg",
        "regularity": "continuous",
        "months": [],
        "available_from": None,
        "available_until": None,
        "physical_form": "packaged",
        "quality_notes": "",
        "current_route": "landfill",
        "current_route_label": "Enfouissement",
        "current_route_cost": "1800.00",
        "max_distance_km": 30,
        "accepts_hazardous": False,
        "confidentiality": "members",
        "confidentiality_label": "Membres du pôle",
        "status": "active",
        "status_label": "Active",
        "created_at": "2026-01-15T09:30:00+01:00",
        "updated_at": "2026-01-15T09:30:00+01:00",
    },
)
STREAM_CREATE_EXAMPLE = OpenApiExample(
    "Declare an offer",
    request_only=True,
    value={
        "site": 31,
        "direction": "offer",
        "kind": "waste",
        "material": "wood.pallets",
        "ewc_code": "15 01 03",
        "description": "Palettes cassées, non traitées, stockées sous abri.",
        "quantity": "1",
        "unit": "t",
        "period": "month",
        "physical_form": "packaged",
        "current_route": "landfill",
        "current_route_cost": "1800.00",
        "max_distance_km": 30,
        "confidentiality": "members",
    },
)
STREAM_VISIBILITY = (
    "Coordinators see every stream. A member's users see every stream of their own organisation, drafts and "
    "archives included, and the active public or members-only streams of the other current members. Partners "
    "see active public streams only. Coordinator-only streams are never shown to anyone else."
)
STREAM_WRITES = (
    "Material, unit and waste code are given by their codes. The unit must measure the material's dimension "
    "(a mass material in a mass unit, or in a volume unit when its density is known); the annual quantity is "
    "computed from quantity, unit and period. Errors come field by field (`quantity`, `unit`, `ewc_code`, "
    "`site`…)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List streams (offers and needs)",
        description=STREAM_VISIBILITY + " Filters are those of the browser lists; `ordering` sorts.",
        examples=[STREAM_EXAMPLE],
    ),
    retrieve=extend_schema(summary="Get a stream", description=STREAM_VISIBILITY, examples=[STREAM_EXAMPLE]),
    create=extend_schema(
        summary="Declare a stream",
        description=(
            "Coordinators declare for any site; a member's admins and editors for a site of their own "
            "organisation (otherwise 400 on `site`). Viewers and partners get 403. " + STREAM_WRITES
        ),
        request=StreamWriteSerializer,
        responses={201: StreamSerializer},
        examples=[STREAM_CREATE_EXAMPLE, STREAM_EXAMPLE],
    ),
    update=extend_schema(
        summary="Replace a stream",
        description="Same rules as a declaration. The change is kept in the stream's history. " + STREAM_WRITES,
        request=StreamWriteSerializer,
        responses=StreamSerializer,
    ),
    partial_update=extend_schema(
        summary="Update some fields of a stream",
        description="Same rules as a declaration; the annual quantity is computed again. " + STREAM_WRITES,
        request=StreamWriteSerializer,
        responses=StreamSerializer,
    ),
    destroy=extend_schema(
        summary="Archive a stream",
        description=(
            "Streams are archived, never deleted: matches and past inventories refer to them. The stream stays "
            "readable by its member and the coordination, with status `archived`."
        ),
        responses={204: None},
    ),
)
class StreamViewSet(
    CachedAnswersMixin,
    GeoFormatsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Stream.objects.none()  # for the schema generator; get_queryset() scopes to the user
    serializer_class = StreamSerializer
    permission_classes = [IsAuthenticated, CanDeclareStreamsOrReadOnly]
    required_scopes = {"read": ApiScope.STREAMS_READ, "write": ApiScope.STREAMS_WRITE}
    filter_backends = [DjangoFilterBackend]
    filterset_class = StreamFilter

    def get_queryset(self):
        return stream_list_queryset(user=self.request.user)

    def create(self, request, *args, **kwargs):
        stream = stream_declare(actor=request.user, **self._validated_data())
        return Response(self._fresh(stream), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        stream = self.get_object()
        fields = self._validated_data(partial=partial)
        return Response(self._fresh(stream_update(actor=request.user, stream=stream, **fields)))

    def destroy(self, request, *args, **kwargs):
        stream_archive(actor=request.user, stream=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _validated_data(self, **kwargs) -> dict:
        serializer = StreamWriteSerializer(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _fresh(self, stream):
        """The saved stream as the list shows it."""
        return self.get_serializer(self.get_queryset().get(pk=stream.pk)).data


# --- Inventory --------------------------------------------------------------------------------------


INVENTORY_EXAMPLE = OpenApiExample(
    "The inventory of a small territory (lists shortened)",
    response_only=True,
    value={
        "families": {
            "mass": [
                {
                    "code": "wood",
                    "name": "Bois",
                    "dimension": "mass",
                    "dimension_label": "masse",
                    "unit": "t",
                    "unit_symbol": "t",
                    "by_route": [
                        {"route": "landfill", "label": "Enfouissement", "quantity": 12.0},
                        {"route": "incineration", "label": "Incinération sans valorisation", "quantity": 0.5},
                        {"route": "energy_recovery", "label": "Valorisation énergétique", "quantity": 0.0},
                        {"route": "recycling_outside", "label": "Recyclage hors du territoire", "quantity": 0.0},
                        {"route": "local_valorisation", "label": "Réemploi ou recyclage local", "quantity": 8.0},
                        {"route": "unknown", "label": "Inconnue", "quantity": 0.0},
                    ],
                    "total": 20.5,
                    "offer_count": 3,
                }
            ],
            "energy": [],
            "other": [],
            "mass_by_route": [{"route": "landfill", "label": "Enfouissement", "quantity": 12.0}],
            "mass_total": 20.5,
        },
        "shares": {
            "total_tonnes": 20.5,
            "routes": [{"route": "landfill", "label": "Enfouissement", "tonnes": 12.0, "percent": 58.5}],
            "local_tonnes": 8.0,
            "local_percent": 39.0,
            "disposed_tonnes": 12.5,
            "disposed_percent": 61.0,
            "exported_tonnes": 0.0,
            "exported_percent": 0.0,
            "unknown_tonnes": 0.0,
            "unknown_percent": 0.0,
        },
        "biggest_unvalorised_offers": [
            {
                "stream_id": 42,
                "direction": "offer",
                "member_id": 12,
                "member_name": "Recyclerie du Val de Fensch",
                "site_id": 31,
                "site_name": "Atelier de Hayange",
                "commune": "Hayange",
                "material_code": "wood.pallets",
                "material_name": "Palettes",
                "family_code": "wood",
                "annual_quantity": 12.0,
                "unit": "t",
                "unit_symbol": "t",
                "current_route": "landfill",
                "current_route_label": "Enfouissement",
                "current_route_cost": 1800.0,
            }
        ],
        "needs_without_local_supply": [],
        "offers_without_local_use": [],
    },
)


class OneObjectSchema(AutoSchema):
    """The inventory is one object, though the router serves it as a `list` action."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class InventoryViewSet(CachedAnswersMixin, viewsets.ViewSet):
    permission_classes = [IsAuthenticated, IsCoordinator]
    required_scopes = {"read": ApiScope.STATS_READ}
    schema = OneObjectSchema()

    @extend_schema(
        summary="Territory inventory",
        description=(
            "What the pole's members throw away and where it goes today, computed over the active streams of "
            "active and suspended members: yearly quantities of offers per material family and current route "
            "(tonnes for mass materials, MWh for energy, the base unit otherwise), the shares of the tonnes "
            "valorised locally, disposed of (landfill, incineration), valorised outside the territory or of "
            "unknown route, the 10 biggest unvalorised offers, the needs no offer could supply and the offers "
            "no need asks for (same material, an ancestor or descendant in the tree, or a `MaterialUse` edge). "
            "Coordinators only for now."
        ),
        responses=TerritoryInventorySerializer,
        examples=[INVENTORY_EXAMPLE],
    )
    def list(self, request):
        return Response(TerritoryInventorySerializer(territory_inventory(user=request.user)).data)
