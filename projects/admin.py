"""Administration of projects (superuser and staff), history-aware so that corrections made here are
recorded too. The activity log is read-only: it is the story the services wrote."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    BudgetLine,
    Funding,
    Indicator,
    Milestone,
    Project,
    ProjectActivity,
    ProjectDocument,
    ProjectParticipant,
)


class ParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    raw_id_fields = ["member"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    fields = ["source", "funder_name", "amount_requested", "amount_granted", "amount_received", "granted_on"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    raw_id_fields = ["owner"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class DocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0
    fields = ["title", "kind", "file", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["size", "uploaded_by", "uploaded_at"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "lead_member", "visibility", "start_date", "created_at"]
    list_filter = ["status", "kind", "visibility"]
    search_fields = ["title", "summary", "lead_member__name"]
    # Hundreds of matches and members: ids with a lookup pop-up rather than long select boxes.
    raw_id_fields = ["lead_member", "site", "created_by", "matches"]
    date_hierarchy = "created_at"
    inlines = [ParticipantInline, BudgetLineInline, FundingInline, MilestoneInline, IndicatorInline, DocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_member")


@admin.register(ProjectActivity)
class ProjectActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "project", "kind", "actor", "message"]
    list_filter = ["kind"]
    search_fields = ["message", "project__title"]
    list_select_related = ["project", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
