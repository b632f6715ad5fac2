"""Viewsets of the matching API: runs (coordinators start and poll them), matches (coordinators see all;
member users only the revealed matches they take part in; partners nothing for now, aggregates come later)
and channels (everyone reads, coordinators write through waste_flows.channel_services)."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from members.api.answer_cache import CachedAnswersMixin
from members.api.formats import OpenFormatsMixin
from members.api.permissions import IsCoordinator
from members.enums import ApiScope

from .. import channel_services
from ..enums import RunScope
from ..match_filters import MatchFilter
from ..match_selectors import match_board_queryset, member_matches_queryset
from ..matches import Channel, Match, MatchRun
from .match_serializers import ChannelSerializer, MatchRunSerializer, MatchSerializer, MemberMatchSerializer


class IsCoordinatorOrMemberUser(BasePermission):
    message = _("Les mises en relation sont réservées à la coordination et aux membres concernés.")

    def has_permission(self, request, view):
        return request.user.is_coordinator or request.user.is_member_user


class IsCoordinatorOrReadOnly(BasePermission):
    message = _("Seule la coordination du pôle peut faire cette action.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_coordinator


# Not behind the cache of answers (members.api.answer_cache): clients poll a run, whose progress the worker
# writes with `update()`, which does not change the data version.
@extend_schema_view(
    list=extend_schema(summary="Recent matching runs"),
    retrieve=extend_schema(summary="One run, to poll its progress"),
    create=extend_schema(
        summary="Start a full matching run",
        request=None,
        responses={202: MatchRunSerializer},
        description="The run is queued; poll it by GET until `is_finished`.",
    ),
)
class MatchRunViewSet(
    OpenFormatsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = MatchRun.objects.order_by("-created_at")
    serializer_class = MatchRunSerializer
    permission_classes = [IsAuthenticated, IsCoordinator]
    required_scopes = {"read": ApiScope.MATCHES_READ}  # API keys never start a run
    filter_backends = []

    def create(self, request, *args, **kwargs):
        from ..match_services import match_run_start  # imported late: it loads the engine package

        run = match_run_start(actor=request.user, scope=RunScope.FULL)
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)


MATCH_RESPONSE = PolymorphicProxySerializer(
    component_name="MatchForUser",
    serializers=[MatchSerializer, MemberMatchSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(
    list=extend_schema(
        summary="Matches",
        description="Coordinators: every match. Member users: the introduced matches their organisation takes "
        "part in, with the counterparts. Partners: 403.",
        responses=PolymorphicProxySerializer(
            component_name="MatchForUserList",
            serializers=[MatchSerializer, MemberMatchSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    ),
    retrieve=extend_schema(summary="One match", responses=MATCH_RESPONSE),
)
class MatchViewSet(CachedAnswersMixin, OpenFormatsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Match.objects.none()  # for the schema generator; get_queryset() scopes to the user
    permission_classes = [IsAuthenticated, IsCoordinatorOrMemberUser]
    required_scopes = {"read": ApiScope.MATCHES_READ}
    filter_backends = [DjangoFilterBackend]
    filterset_class = MatchFilter

    def get_queryset(self):
        user = self.request.user
        if user.is_coordinator:
            return match_board_queryset().prefetch_related("streams")
        return member_matches_queryset(member_id=user.member_id)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or self.request.user.is_coordinator:
            return MatchSerializer
        return MemberMatchSerializer


class ChannelViewSet(CachedAnswersMixin, OpenFormatsMixin, viewsets.ModelViewSet):
    queryset = Channel.objects.prefetch_related("materials").order_by("name")
    serializer_class = ChannelSerializer
    permission_classes = [IsAuthenticated, IsCoordinatorOrReadOnly]
    required_scopes = {"read": ApiScope.MATCHES_READ}  # API keys never edit channels
    filter_backends = []

    def perform_create(self, serializer):
        serializer.instance = channel_services.channel_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = channel_services.channel_update(
            actor=self.request.user, channel=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        channel_services.channel_delete(actor=self.request.user, channel=instance)
