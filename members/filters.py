"""Filters of the member list, shared by the coordinator's page, the directory and the API."""

import operator
from functools import reduce

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import naf
from .distance import NearFilterMixin
from .enums import IaeType, MemberKind, MembershipStatus
from .models import College, Member, Site

ORDERING_FIELDS = [
    ("name", "name"),
    ("kind", "kind"),
    ("college__position", "college"),
    ("joined_on", "joined_on"),
    ("site_count", "site_count"),
    ("status", "status"),
    ("outstanding_fees", "outstanding_fees"),
]
ORDERING_LABELS = {
    "name": _("Nom"),
    "kind": _("Type"),
    "college__position": _("Collège"),
    "joined_on": _("Date d'adhésion"),
    "site_count": _("Nombre de sites"),
    "status": _("Statut"),
    "outstanding_fees": _("Cotisations dues"),
}
COORDINATOR_ONLY_ORDERING = {"status", "outstanding_fees"}


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Recherche"))
    kind = django_filters.MultipleChoiceFilter(choices=MemberKind.choices, label=_("Type de structure"))
    status = django_filters.MultipleChoiceFilter(choices=MembershipStatus.choices, label=_("Statut"))
    college = django_filters.ModelMultipleChoiceFilter(queryset=College.objects.all(), label=_("Collège"))
    iae_type = django_filters.MultipleChoiceFilter(choices=IaeType.choices, label=_("Insertion"))
    is_ess = django_filters.BooleanFilter(label=_("Statut ESS"))
    naf_section = django_filters.ChoiceFilter(
        choices=naf.sections, method="filter_naf_section", label=_("Section NAF")
    )
    commune = django_filters.CharFilter(method="filter_commune", label=_("Commune"))
    fee_outstanding = django_filters.BooleanFilter(method="filter_fee_outstanding", label=_("Cotisation impayée"))
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS, field_labels=ORDERING_LABELS, label=_("Tri"))

    class Meta:
        model = Member
        fields = ["q", "kind", "status", "college", "iae_type", "is_ess", "naf_section", "commune", "fee_outstanding"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Fees and prospects are the coordinator's business; other people filter the directory only.
        if user is None or not user.is_coordinator:
            for name in ("fee_outstanding", "status"):
                self.filters.pop(name, None)
            public_fields = [pair for pair in ORDERING_FIELDS if pair[1] not in COORDINATOR_ONLY_ORDERING]
            self.filters["ordering"] = django_filters.OrderingFilter(
                fields=public_fields, field_labels=ORDERING_LABELS, label=_("Tri")
            )
            self.filters["ordering"].model = Member
            self.filters["ordering"].parent = self

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_naf_section(self, queryset, name, value: str):
        divisions = naf.divisions_of_section(value)
        if not divisions:
            return queryset.none()
        return queryset.filter(
            reduce(operator.or_, (Q(naf_code__startswith=f"{division}.") for division in divisions))
        )

    def filter_commune(self, queryset, name, value):
        return queryset.filter(pk__in=Site.objects.filter(commune__iexact=value.strip()).values("member"))

    def filter_fee_outstanding(self, queryset, name, value):
        return queryset.with_fee_outstanding(value)


class SiteFilter(NearFilterMixin):
    member = django_filters.ModelChoiceFilter(queryset=Member.objects.all(), label=_("Membre"))
    commune = django_filters.CharFilter(field_name="commune", lookup_expr="iexact", label=_("Commune"))
    postcode = django_filters.CharFilter(field_name="postcode", lookup_expr="startswith", label=_("Code postal"))
    siret = django_filters.CharFilter(field_name="siret", lookup_expr="startswith", label=_("SIRET"))
    is_main = django_filters.BooleanFilter(label=_("Site principal"))
    member_kind = django_filters.MultipleChoiceFilter(
        field_name="member__kind", choices=MemberKind.choices, label=_("Type de structure")
    )

    class Meta:
        model = Site
        fields = ["member", "commune", "postcode", "siret", "is_main", "member_kind"]
