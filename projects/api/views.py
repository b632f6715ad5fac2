"""The projects API: everyone reads the projects they may see (`visible_to`), coordinators write through
projects.services. Projects are abandoned, never deleted."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from members.api.answer_cache import CachedAnswersMixin
from members.api.formats import OpenFormatsMixin
from waste_flows.matches import Match

from ..filters import ProjectFilter
from ..models import Milestone, Project, ProjectDocument
from ..permissions import can_manage
from ..selectors import participants_lead_first, project_list
from ..services import project_change_status, project_create, project_update
from .serializers import (
    ProjectDetailSerializer,
    ProjectListSerializer,
    ProjectWriteSerializer,
    StatusChangeSerializer,
)


class IsCoordinatorOrReadOnly(BasePermission):
    message = gettext_lazy("Seule la coordination du pôle gère les projets.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or can_manage(request.user)


class ProjectFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


API_PREFETCHES = [
    Prefetch("participants", queryset=participants_lead_first()),
    "budget_lines",
    "fundings",
    Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
    "indicators",
    Prefetch("documents", queryset=ProjectDocument.objects.order_by("-uploaded_at")),
    # Only the ids are shown: the matches' explanations and figures stay unloaded.
    Prefetch("matches", queryset=Match.objects.only("id").order_by("pk")),
]
VISIBILITY = (
    "Coordinators read every project. A member's users read public and members-only projects, and the "
    "projects their organisation leads or takes part in. Partners read public projects only. Totals are "
    "computed: `budget_total` (sum of the budget lines), `funding_requested/granted/received` (sums of the "
    "fundings) and `funding_gap` = budget total − granted."
)
PROJECT_EXAMPLE = OpenApiExample(
    "A project in the list",
    response_only=True,
    value={
        "id": 3,
        "title": "Chaufferie bois collective alimentée par les palettes mutualisées",
        "kind": "energy",
        "kind_label": "Énergie",
        "status": "operational",
        "status_label": "En fonctionnement",
        "visibility": "public",
        "visibility_label": "Public (partenaires compris)",
        "lead_member": {"id": 9, "name": "SCIC Bois Énergie Fensch-Moselle"},
        "start_date": "2024-09-02",
        "end_date": None,
        "commune": "Fameck",
        "location": "Chaufferie — Fameck",
        "budget_total": "1785000.00",
        "funding_requested": "1800000.00",
        "funding_granted": "1690000.00",
        "funding_received": "1240000.00",
        "funding_gap": "95000.00",
        "has_overdue_milestone": False,
        "created_at": "2023-03-14T09:30:00+01:00",
        "updated_at": "2026-06-30T17:02:00+02:00",
    },
)
WRITES = (
    "Coordinators only (403 otherwise). `lead_member` and `site` are ids; the lead member becomes a participant "
    "with the role `lead`. Dates must be in order. The status is not written here: use `POST …/status/`."
)


@extend_schema_view(
    list=extend_schema(
        summary="List projects",
        description=VISIBILITY + " Filters: `q` (title), `kind`, `status`, `visibility`, `member` (lead or "
        "participant id), `funder` (funding source), `overdue` (a milestone is late). `ordering` sorts by "
        "title, status (pipeline order), start_date, created_at, budget_total or funding_gap (`-` for descending).",
        examples=[PROJECT_EXAMPLE],
    ),
    retrieve=extend_schema(
        summary="Get a project with its participants, budget, fundings, milestones, indicators and linked matches",
        description=VISIBILITY + " Documents are listed for the coordination and the organisations taking part.",
    ),
    create=extend_schema(
        summary="Create a project (idea stage)",
        description=WRITES,
        request=ProjectWriteSerializer,
        responses={201: ProjectDetailSerializer},
    ),
    update=extend_schema(
        summary="Replace a project's description", description=WRITES, request=ProjectWriteSerializer
    ),
    partial_update=extend_schema(
        summary="Update some fields of a project", description=WRITES, request=ProjectWriteSerializer
    ),
    destroy=extend_schema(
        summary="Refused: projects are abandoned, not deleted",
        description="Always 405. Move the project to `abandoned` with a reason through `POST …/status/`.",
        responses={405: OpenApiResponse(description="Projects are never deleted.")},
    ),
)
class ProjectViewSet(
    CachedAnswersMixin,
    OpenFormatsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Project.objects.none()  # for the schema generator; get_queryset() scopes to the user
    permission_classes = [IsAuthenticated, IsCoordinatorOrReadOnly]
    filter_backends = [ProjectFilterBackend]
    filterset_class = ProjectFilter
    # Read by API keys with the `projects:read` scope; writing is for coordinators' sessions only.
    required_scopes = {"read": "projects:read", "write": None}

    def get_queryset(self):
        queryset = project_list(user=self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related(*API_PREFETCHES)
        return queryset

    def get_serializer_class(self):
        return ProjectListSerializer if self.action == "list" else ProjectDetailSerializer

    def create(self, request, *args, **kwargs):
        project = project_create(by=request.user, data=self._validated(ProjectWriteSerializer))
        return Response(self._fresh(project), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        project = self.get_object()
        data = self._validated(ProjectWriteSerializer, partial=partial)
        return Response(self._fresh(project_update(project=project, by=request.user, data=data)))

    def destroy(self, request, *args, **kwargs):
        raise MethodNotAllowed(
            request.method,
            detail=_("Un projet n'est jamais supprimé : passez-le au statut « Abandonné » en indiquant pourquoi."),
        )

    @extend_schema(
        summary="Move a project along its pipeline",
        description=(
            "idea → feasibility → funding → implementation → operational → closed, one step forward or back; "
            "any open stage → abandoned (a `reason` is required); abandoned → idea, feasibility or funding. "
            "Going to implementation needs a granted funding. Refusals answer 400 on `status` or `reason`."
        ),
        request=StatusChangeSerializer,
        responses={200: ProjectDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        project = self.get_object()
        data = self._validated(StatusChangeSerializer)
        project_change_status(project=project, by=request.user, to_status=data["status"], reason=data["reason"])
        return Response(self._fresh(project))

    def _validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _fresh(self, project):
        """The saved project as `retrieve` shows it, totals and parts included."""
        queryset = project_list(user=self.request.user).prefetch_related(*API_PREFETCHES)
        return ProjectDetailSerializer(queryset.get(pk=project.pk), context=self.get_serializer_context()).data
