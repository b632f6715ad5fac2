"""Filters of the matches, shared by the coordinator's board and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member

from .enums import MatchKind, MatchStatus
from .matches import Match, MatchParticipant
from .models import Material

ORDERING_FIELDS = {
    "score": _("Score"),
    "co2e_avoided_t": _("CO2e évité"),
    "tonnes_per_year": _("Tonnes par an"),
    "euros_saved": _("Économies"),
    "updated_at": _("Mise à jour"),
}


def _families(request=None):
    return Material.objects.families().order_by("name_fr")


def _members(request=None):
    return Member.objects.order_by("name")


class MatchFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MatchKind.choices, label=_("Type"))
    status = django_filters.MultipleChoiceFilter(choices=MatchStatus.choices, label=_("Statut"))
    family = django_filters.ModelChoiceFilter(
        queryset=_families, to_field_name="code", method="filter_family", label=_("Famille de matières")
    )
    material = django_filters.CharFilter(method="filter_material", label=_("Matière (code, avec ses sous-catégories)"))
    member = django_filters.ModelChoiceFilter(queryset=_members, method="filter_member", label=_("Membre"))
    near_miss = django_filters.BooleanFilter(field_name="near_miss", label=_("Seuil presque atteint"))
    ordering = django_filters.OrderingFilter(fields=[(name, name) for name in ORDERING_FIELDS], label=_("Tri"))

    class Meta:
        model = Match
        fields = []

    def filter_family(self, queryset, name, value: Material):
        return queryset.filter(Q(material__code=value.code) | Q(material__code__startswith=f"{value.code}."))

    def filter_material(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(material__code=value) | Q(material__code__startswith=f"{value}.")) if value else queryset
        )

    def filter_member(self, queryset, name, value: Member):
        # Exists rather than a join: a match with several participants must not appear twice.
        return queryset.filter(Exists(MatchParticipant.objects.filter(match=OuterRef("pk"), member=value)))
