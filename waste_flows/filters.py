"""Filters of the stream lists, shared by the coordinator's page, members' pages, exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.distance import NearFilterMixin
from members.enums import MemberKind

from .enums import Confidentiality, Direction, Route, StreamKind, StreamStatus
from .models import Material, Stream


def _families():
    return Material.objects.families().order_by("name_fr")


class StreamFilter(NearFilterMixin):
    near_prefix = "site__"
    q = django_filters.CharFilter(method="filter_search", label=_("Recherche"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Sens"))
    kind = django_filters.MultipleChoiceFilter(choices=StreamKind.choices, label=_("Nature du flux"))
    family = django_filters.ModelChoiceFilter(
        queryset=_families(), to_field_name="code", method="filter_family", label=_("Famille de matières")
    )
    material = django_filters.CharFilter(method="filter_material", label=_("Matière (code, avec ses sous-catégories)"))
    ewc_chapter = django_filters.CharFilter(
        method="filter_ewc_chapter", label=_("Chapitre de la nomenclature déchets")
    )
    hazardous = django_filters.BooleanFilter(field_name="ewc_code__hazardous", label=_("Déchet dangereux"))
    current_route = django_filters.MultipleChoiceFilter(choices=Route.choices, label=_("Devenir actuel"))
    commune = django_filters.CharFilter(field_name="site__commune", lookup_expr="iexact", label=_("Commune"))
    member = django_filters.NumberFilter(field_name="site__member", label=_("Membre"))
    member_kind = django_filters.MultipleChoiceFilter(
        field_name="site__member__kind", choices=MemberKind.choices, label=_("Type de membre")
    )
    confidentiality = django_filters.MultipleChoiceFilter(choices=Confidentiality.choices, label=_("Confidentialité"))
    status = django_filters.MultipleChoiceFilter(choices=StreamStatus.choices, label=_("Statut"))
    ordering = django_filters.OrderingFilter(
        fields=[
            ("updated_at", "updated_at"),
            ("annual_quantity", "annual_quantity"),
            ("material__code", "material"),
            ("site__member__name", "member"),
            ("current_route_cost", "current_route_cost"),
        ],
        field_labels={
            "updated_at": _("Date de mise à jour"),
            "annual_quantity": _("Quantité annuelle"),
            "material__code": _("Matière"),
            "site__member__name": _("Membre"),
            "current_route_cost": _("Coût actuel"),
        },
        label=_("Tri"),
    )

    class Meta:
        model = Stream
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(material__name_fr__icontains=value)
            | Q(material__name_en__icontains=value)
            | Q(site__member__name__icontains=value)
            | Q(ewc_code__code__startswith=value)
        )

    def filter_family(self, queryset, name, value: Material):
        return queryset.filter(Q(material__code=value.code) | Q(material__code__startswith=f"{value.code}."))

    def filter_material(self, queryset, name, value):
        return queryset.filter(Q(material__code=value) | Q(material__code__startswith=f"{value}."))

    def filter_ewc_chapter(self, queryset, name, value):
        return queryset.filter(ewc_code__code__startswith=value.strip()[:2])
