"""Filters of the reference-data endpoints, and the ranked `?search=` they share.

Streams use `waste_flows.filters.StreamFilter`, the same filters as the browser lists (through
`StreamApiFilter`, see there)."""

import django_filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import BaseFilterBackend

from ..enums import Dimension, MaterialKind
from ..models import EwcCode, Material

SEARCH_LIMIT = 100
EWC_LEVELS = [
    ("chapter", _("Chapitre")),
    ("subchapter", _("Sous-chapitre")),
    ("entry", _("Code déchet")),
]


class RankedSearchFilter(BaseFilterBackend):
    """`?search=`: the best matches first, ranked by `waste_flows.search.rank` over the view's in-memory
    entries (exact code, code prefix, name, words of the name, synonyms, anywhere). Without it the list keeps
    its code order."""

    search_param = "search"

    def filter_queryset(self, request, queryset, view):
        query = request.query_params.get(self.search_param, "").strip()
        if not query:
            return queryset
        keys = view.ranked_keys(query, limit=SEARCH_LIMIT)
        if not keys:
            return queryset.none()
        field = view.search_key_field
        position = Case(
            *[When(**{field: key}, then=Value(rank)) for rank, key in enumerate(keys)], output_field=IntegerField()
        )
        return queryset.filter(**{f"{field}__in": keys}).order_by(position)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Words or a code; accents and case are ignored. Returns at most the {SEARCH_LIMIT} best "
                    "matches, best first: exact code, code prefix, name starting with the words, every word "
                    "starting a word of the name, a synonym, then the words found anywhere."
                ),
                "schema": {"type": "string"},
            }
        ]


class EwcCodeFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=EWC_LEVELS, label=_("Niveau"))
    chapter = django_filters.CharFilter(method="filter_chapter", label=_("Chapitre (2 chiffres)"))
    hazardous = django_filters.BooleanFilter(label=_("Dangereux"))
    material = django_filters.CharFilter(method="filter_material", label=_("Matière (code, avec ses sous-catégories)"))

    class Meta:
        model = EwcCode
        fields = []

    def filter_chapter(self, queryset, name, value):
        return queryset.filter(code__startswith=value.strip()[:2])

    def filter_material(self, queryset, name, value):
        return queryset.filter(Q(material__code=value) | Q(material__code__startswith=f"{value}."))


class MaterialFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(method="filter_family", label=_("Famille (code de la racine)"))
    parent = django_filters.CharFilter(field_name="parent__code", label=_("Code du parent"))
    kind = django_filters.ChoiceFilter(choices=MaterialKind.choices, label=_("Nature"))
    dimension = django_filters.ChoiceFilter(choices=Dimension.choices, label=_("Grandeur"))
    can_be_hazardous = django_filters.BooleanFilter(label=_("Peut être dangereux"))

    class Meta:
        model = Material
        fields = []

    def filter_family(self, queryset, name, value):
        family = value.strip().split(".", 1)[0]
        return queryset.filter(Q(code=family) | Q(code__startswith=f"{family}."))
