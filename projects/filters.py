"""Filters of the project list, shared by the pages and the API.

They expect the queryset of `selectors.project_list` (totals and overdue flag annotated): ordering by
budget or funding gap sorts on those annotations.
"""

import django_filters
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .enums import FundingSource, ProjectKind, ProjectStatus, ProjectVisibility
from .models import Funding, Milestone, Project, ProjectParticipant
from .transitions import pipeline_position

ORDERING_FIELDS = {
    "title": _("Intitulé"),
    "status": _("Statut"),
    "start_date": _("Date de début"),
    "created_at": _("Date de création"),
    "budget_total": _("Budget"),
    "funding_gap": _("Reste à financer"),
}


def _members(request=None):
    return Member.objects.order_by("name")


def _pipeline_rank():
    """Statuses sort in pipeline order (idea first), not alphabetically."""
    return Case(
        *(When(status=status, then=Value(pipeline_position(status))) for status in ProjectStatus.values),
        output_field=IntegerField(),
    )


class ProjectOrderingFilter(django_filters.OrderingFilter):
    def get_ordering_value(self, param):
        if param.lstrip("-") == "status":
            rank = _pipeline_rank()
            return rank.desc() if param.startswith("-") else rank.asc()
        return super().get_ordering_value(param)

    def filter(self, qs, value):
        # A stable order within equal keys, so that pages never repeat or skip a project.
        filtered = super().filter(qs, value)
        return filtered.order_by(*filtered.query.order_by, "-pk") if value else filtered


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Recherche"))
    kind = django_filters.MultipleChoiceFilter(choices=ProjectKind.choices, label=_("Type de projet"))
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label=_("Statut"))
    visibility = django_filters.MultipleChoiceFilter(choices=ProjectVisibility.choices, label=_("Visibilité"))
    member = django_filters.ModelChoiceFilter(
        queryset=_members, method="filter_member", label=_("Membre (porteur ou participant)")
    )
    funder = django_filters.ChoiceFilter(choices=FundingSource.choices, method="filter_funder", label=_("Financeur"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Jalon en retard"))
    ordering = ProjectOrderingFilter(
        fields=[(name, name) for name in ORDERING_FIELDS], field_labels=ORDERING_FIELDS, label=_("Tri")
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # Scoping is the queryset's job (`visible_to`); the user is kept for forms that adapt their choices.
        self.user = user

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_member(self, queryset, name, value: Member):
        # Exists rather than a join: a project with several participants must not appear twice.
        takes_part = ProjectParticipant.objects.filter(project=OuterRef("pk"), member=value)
        return queryset.filter(Q(lead_member=value) | Exists(takes_part))

    def filter_funder(self, queryset, name, value):
        return queryset.filter(Exists(Funding.objects.filter(project=OuterRef("pk"), source=value)))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Exists(Milestone.objects.overdue().filter(project=OuterRef("pk")))
        return queryset.filter(late if value else ~late)
