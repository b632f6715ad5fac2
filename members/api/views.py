"""Viewsets of the members API. Reads are scoped with `visible_to(user)`; writes go through members.services."""

from django.db.models import Prefetch, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ..enums import ApiScope
from ..filters import MemberFilter, SiteFilter
from ..models import Contact, Member, Site, User, YearlyFigure
from ..services import member_archive, member_create, member_update, site_save
from .answer_cache import CachedAnswersMixin
from .formats import GeoFormatsMixin, OpenFormatsMixin
from .permissions import CanEditMemberOrReadOnly, CanEditSiteOrReadOnly, CanSeePrivateData, IsCoordinator
from .serializers import (
    MEMBER_SCHEMA,
    SITE_SCHEMA,
    MemberArchiveSerializer,
    MemberHistoryEntrySerializer,
    MemberSerializer,
    MemberWriteSerializer,
    SiteCreateSerializer,
    SiteSerializer,
    SiteUpdateSerializer,
)

HISTORY_LENGTH = 100


class MemberFilterBackend(DjangoFilterBackend):
    """Gives MemberFilter the user, so that it keeps the coordinator-only filters for coordinators."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


class ServiceWriteMixin:
    """Writes through members.services: validate the input, call the service, answer with the saved object."""

    def validated_data(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def fresh(self, instance):
        """The saved object as the list would show it (annotations and prefetches included)."""
        return self.get_serializer(self.get_queryset().get(pk=instance.pk)).data


def _member_prefetches(user):
    if user.is_coordinator:
        return [Prefetch("sites"), Prefetch("contacts"), Prefetch("yearly_figures"), Prefetch("users")]
    consenting = Q(consents_to_contact=True)
    if user.member_id is None:
        return [Prefetch("sites"), Prefetch("contacts", queryset=Contact.objects.filter(consenting))]
    # Private rows of one's own organisation only: the other members are written out by the public serializer
    # anyway, and rows that are not loaded cannot leak.
    own = Q(member_id=user.member_id)
    return [
        Prefetch("sites"),
        Prefetch("contacts", queryset=Contact.objects.filter(consenting | own)),
        Prefetch("yearly_figures", queryset=YearlyFigure.objects.filter(own)),
        Prefetch("users", queryset=User.objects.filter(own)),
    ]


MEMBER_EXAMPLE = OpenApiExample(
    "A member, as a partner sees it",
    response_only=True,
    value={
        "id": 12,
        "name": "Recyclerie du Val de Fensch",
        "short_name": "Recyclerie",
        "kind": "ess_enterprise",
        "kind_label": "Entreprise de l'ESS",
        "legal_form": "association",
        "legal_form_label": "Association",
        "is_ess": True,
        "esus_approved": True,
        "iae_type": "aci",
        "iae_type_label": "ACI — atelier et chantier d'insertion",
        "siren": "732829320",
        "naf_code": "38.32Z",
        "naf_label": "Récupération de déchets triés",
        "website": "https://recyclerie.example.org",
        "description": "Collecte, réemploi et vente d'objets de seconde main.",
        "logo": "https://ptce.example.org/media/logos/recyclerie.png",
        "college": {"id": 1, "name": "Entreprises de l'ESS"},
        "status": "active",
        "status_label": "Actif",
        "sites": [
            {
                "id": 31,
                "name": "Atelier de Hayange",
                "siret": "73282932000074",
                "commune": "Hayange",
                "postcode": "57700",
                "latitude": 49.3298,
                "longitude": 6.062,
                "is_main": True,
            }
        ],
        "contacts": [
            {
                "name": "Camille Martin",
                "job_title": "Coordinatrice réemploi",
                "email": "camille.martin@recyclerie.example.org",
                "phone": "03 82 00 00 00",
            }
        ],
    },
)
MEMBER_CREATE_EXAMPLE = OpenApiExample(
    "Create a member",
    request_only=True,
    value={
        "name": "Recyclerie du Val de Fensch",
        "kind": "ess_enterprise",
        "legal_form": "association",
        "is_ess": True,
        "siren": "732 829 320",
        "naf_code": "3832Z",
        "status": "active",
        "college": 1,
    },
)
SITE_EXAMPLE = OpenApiExample(
    "A site, as a partner sees it",
    response_only=True,
    value={
        "id": 31,
        "name": "Atelier de Hayange",
        "siret": "73282932000074",
        "commune": "Hayange",
        "postcode": "57700",
        "latitude": 49.3298,
        "longitude": 6.062,
        "is_main": True,
        "member": {"id": 12, "name": "Recyclerie du Val de Fensch", "short_name": "Recyclerie"},
    },
)
SITE_CREATE_EXAMPLE = OpenApiExample(
    "Create a site",
    request_only=True,
    value={
        "member": 12,
        "name": "Atelier de Hayange",
        "siret": "732 829 320 00074",
        "address": "1 rue de l'Usine",
        "postcode": "57700",
        "commune": "Hayange",
        "latitude": 49.3298,
        "longitude": 6.062,
        "is_main": True,
    },
)
PRIVATE_DATA = (
    "Partners and other members get the public shape (`MemberPublic`): identity, sites and the contacts who "
    "agreed to be contacted. The coordination and the member's own users get the full shape (`MemberFull`), "
    "which adds outstanding fees, yearly figures, users, membership dates and every contact."
)


@extend_schema_view(
    list=extend_schema(
        summary="List members",
        description=(
            "Coordinators see every member, prospects and former members included. Other users see the "
            "directory (active and suspended members) and their own organisation. "
            + PRIVATE_DATA
            + " The `status` and `fee_outstanding` filters and ordering by `outstanding_fees` are for "
            "coordinators only; other users' values are ignored or rejected."
        ),
        responses=MEMBER_SCHEMA,
        examples=[MEMBER_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="Get a member", description=PRIVATE_DATA, responses=MEMBER_SCHEMA, examples=[MEMBER_EXAMPLE]
    ),
    create=extend_schema(
        summary="Create a member",
        description=(
            "Coordinators only. SIREN and NAF code may be typed with spaces; they are normalised and checked "
            "(Luhn key, NAF rév. 2). A member created as active gets today as its membership date."
        ),
        request=MemberWriteSerializer,
        responses={201: MEMBER_SCHEMA},
        examples=[MEMBER_CREATE_EXAMPLE, MEMBER_EXAMPLE],
    ),
    update=extend_schema(
        summary="Replace a member",
        description=(
            "Coordinators change every field. A member's admins and editors may change their own "
            "organisation's profile but not `status`, `college`, `joined_on` or `left_on` (403)."
        ),
        request=MemberWriteSerializer,
        responses=MEMBER_SCHEMA,
    ),
    partial_update=extend_schema(
        summary="Update some fields of a member",
        description=(
            "Same rules as PUT: a member's admins and editors may change their own organisation's profile, "
            "not `status`, `college`, `joined_on` or `left_on`."
        ),
        request=MemberWriteSerializer,
        responses=MEMBER_SCHEMA,
    ),
    archive=extend_schema(
        summary="Archive a member",
        description=(
            "Coordinators only. Members are never deleted: the member becomes a former member, its users are "
            "deactivated, and its sites, declarations and history stay."
        ),
        request=MemberArchiveSerializer,
        responses=MEMBER_SCHEMA,
    ),
    history=extend_schema(
        summary="History of a member",
        description=(
            f"The last {HISTORY_LENGTH} changes of a member, newest first, with who made them and which fields "
            "changed. For coordinators and the member's own users."
        ),
        responses=MemberHistoryEntrySerializer(many=True),
    ),
)
class MemberViewSet(
    CachedAnswersMixin,
    OpenFormatsMixin,
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Member.objects.none()  # for the schema generator; get_queryset() scopes to the user
    serializer_class = MemberSerializer
    required_scopes = {"read": ApiScope.DIRECTORY_READ}  # API keys read the directory, never write it
    filter_backends = [MemberFilterBackend]
    filterset_class = MemberFilter

    def get_permissions(self):
        if self.action in ("create", "archive"):
            return [IsAuthenticated(), IsCoordinator()]
        if self.action == "history":
            return [IsAuthenticated(), CanSeePrivateData()]
        return [IsAuthenticated(), CanEditMemberOrReadOnly()]

    def get_queryset(self):
        user = self.request.user
        members = (
            Member.objects.visible_to(user)
            .select_related("college")
            .prefetch_related(*_member_prefetches(user))
            .with_site_count()  # the FilterSet can order by it
            # Explicit: Django drops Meta.ordering from GROUP BY queries, and pages need a stable order.
            .order_by("name", "pk")
        )
        if user.is_coordinator or user.is_member_user:
            members = members.with_outstanding_fees()
        return members

    def create(self, request, *args, **kwargs):
        member = member_create(actor=request.user, **self.validated_data(MemberWriteSerializer))
        return Response(self.fresh(member), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        member = self.get_object()
        fields = self.validated_data(MemberWriteSerializer, partial=partial)
        return Response(self.fresh(member_update(actor=request.user, member=member, **fields)))

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        member = self.get_object()
        fields = self.validated_data(MemberArchiveSerializer)
        return Response(self.fresh(member_archive(actor=request.user, member=member, **fields)))

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        entries = _history_entries(self.get_object())
        return Response(MemberHistoryEntrySerializer(entries, many=True).data)


def _history_entries(member: Member) -> list[dict]:
    # One more record than shown, so that the oldest shown change can be compared with its predecessor.
    records = list(
        member.history.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_LENGTH + 1]
    )
    entries = []
    for record, previous in zip(records[:HISTORY_LENGTH], [*records[1:], None], strict=False):
        changed = [change.field for change in record.diff_against(previous).changes] if previous else []
        entries.append({"record": record, "changed_fields": changed})
    return entries


@extend_schema_view(
    list=extend_schema(
        summary="List sites",
        description=(
            "Sites of the members the user can see (see the members endpoint). Everyone gets the SIRET, "
            "commune and coordinates; the street address is for the coordination and the member's own users."
        ),
        responses=SITE_SCHEMA,
        examples=[SITE_EXAMPLE],
    ),
    retrieve=extend_schema(summary="Get a site", responses=SITE_SCHEMA, examples=[SITE_EXAMPLE]),
    create=extend_schema(
        summary="Create a site",
        description=(
            "Coordinators, and a member's admins and editors for their own organisation. The SIRET must start "
            "with the member's SIREN. A member's first site becomes its main site; marking a site as main moves "
            "the flag from the previous one."
        ),
        request=SiteCreateSerializer,
        responses={201: SITE_SCHEMA},
        examples=[SITE_CREATE_EXAMPLE, SITE_EXAMPLE],
    ),
    update=extend_schema(
        summary="Replace a site",
        description="A site stays with its member. A member must keep a main site.",
        request=SiteUpdateSerializer,
        responses=SITE_SCHEMA,
    ),
    partial_update=extend_schema(
        summary="Update some fields of a site",
        description="A site stays with its member. A member must keep a main site.",
        request=SiteUpdateSerializer,
        responses=SITE_SCHEMA,
    ),
)
class SiteViewSet(
    CachedAnswersMixin,
    GeoFormatsMixin,
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Site.objects.none()  # for the schema generator; get_queryset() scopes to the user
    serializer_class = SiteSerializer
    required_scopes = {"read": ApiScope.DIRECTORY_READ}  # API keys read the directory, never write it
    permission_classes = [IsAuthenticated, CanEditSiteOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SiteFilter

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).select_related("member")

    def create(self, request, *args, **kwargs):
        fields = self.validated_data(SiteCreateSerializer)
        site = site_save(actor=request.user, site=Site(member=fields.pop("member")), **fields)
        return Response(self.fresh(site), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        site = self.get_object()
        fields = self.validated_data(SiteUpdateSerializer, partial=partial)
        return Response(self.fresh(site_save(actor=request.user, site=site, **fields)))
