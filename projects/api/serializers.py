"""Serializers of the projects API. Totals come from `with_totals()` annotations, never from stored fields;
writes are validated here for shape only, then by projects.services for the rules."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.api.fields import ChoiceLabelField
from members.models import Member, Site

from ..enums import ProjectStatus
from ..models import BudgetLine, Funding, Indicator, Milestone, Project, ProjectDocument, ProjectParticipant
from ..permissions import can_see_documents

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class MemberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ProjectListSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind")
    status_label = ChoiceLabelField(source="status")
    visibility_label = ChoiceLabelField(source="visibility")
    lead_member = MemberRefSerializer(read_only=True)
    location = serializers.CharField(source="location_label", read_only=True)
    budget_total = serializers.DecimalField(**MONEY)
    funding_requested = serializers.DecimalField(**MONEY)
    funding_granted = serializers.DecimalField(**MONEY)
    funding_received = serializers.DecimalField(**MONEY)
    funding_gap = serializers.DecimalField(
        **MONEY, help_text="Budget total minus the granted amounts; negative when over-funded."
    )
    has_overdue_milestone = serializers.BooleanField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "title", "kind", "kind_label", "status", "status_label", "visibility", "visibility_label",
            "lead_member", "start_date", "end_date", "commune", "location", "budget_total", "funding_requested",
            "funding_granted", "funding_received", "funding_gap", "has_overdue_milestone", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProjectParticipantSerializer(serializers.ModelSerializer):
    member = MemberRefSerializer(read_only=True)
    role_label = ChoiceLabelField(source="role")

    class Meta:
        model = ProjectParticipant
        fields = ["id", "member", "role", "role_label", "commitment"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    category_label = ChoiceLabelField(source="category")

    class Meta:
        model = BudgetLine
        fields = ["id", "category", "category_label", "label", "amount"]
        read_only_fields = fields


class FundingSerializer(serializers.ModelSerializer):
    source_label = ChoiceLabelField(source="source")

    class Meta:
        model = Funding
        fields = [
            "id", "source", "source_label", "funder_name", "amount_requested", "amount_granted", "amount_received",
            "requested_on", "granted_on", "received_on", "notes",
        ]  # fmt: skip
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    owner = MemberRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_on", "is_overdue", "owner"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind")
    label = serializers.CharField(source="display_label", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "kind", "kind_label", "label", "unit", "year", "target", "actual"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProjectDocument
        fields = ["id", "title", "kind", "kind_label", "size", "content_type", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str:
        path = reverse("projects:document_download", args=[document.project_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProjectDetailSerializer(ProjectListSerializer):
    """A project with its parts. Documents are listed for the coordination and the organisations taking
    part only (empty for other readers)."""

    site = serializers.PrimaryKeyRelatedField(read_only=True)
    participants = ProjectParticipantSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    fundings = FundingSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    matches = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of the linked matches.")
    documents = serializers.SerializerMethodField()

    class Meta(ProjectListSerializer.Meta):
        fields = [
            *ProjectListSerializer.Meta.fields, "summary", "abandon_reason", "site", "participants", "budget_lines",
            "fundings", "milestones", "indicators", "matches", "documents",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, project):
        request = self.context.get("request")
        if request is None or not can_see_documents(request.user, project):
            return []
        return DocumentSerializer(project.documents.all(), many=True, context=self.context).data


class ProjectWriteSerializer(serializers.ModelSerializer):
    """What a coordinator sends to create or edit a project; the status moves through `…/status/`."""

    lead_member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Project
        fields = ["title", "summary", "kind", "lead_member", "start_date", "end_date", "site", "commune", "visibility"]


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required to abandon a project."
    )
