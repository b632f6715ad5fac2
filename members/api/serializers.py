"""Serializers of the members API.

Reading: every object is written out by a *public* serializer (what the directory shows to partners and
other members) or by a *full* one that adds private data, for coordinators and the member's own users.
`MemberSerializer` and `SiteSerializer` pick one of the two for each object, so that a member user's own
organisation comes out complete in the same list where the others are public.

Writing: the *write* serializers only check types and choices; `members.services` normalises, validates
(full_clean) and decides who may change what. They are never `.save()`d.
"""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from ..models import College, Contact, Member, Site, User, YearlyFigure
from .fields import ChoiceLabelField

# --- Reading ----------------------------------------------------------------------------------------


class CollegeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = College
        fields = ["id", "name"]


class MemberSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name", "short_name"]


class MemberSitePublicSerializer(serializers.ModelSerializer):
    """A site inside a member. The SIRET is public information in France (SIRENE register)."""

    class Meta:
        model = Site
        fields = ["id", "name", "siret", "commune", "postcode", "latitude", "longitude", "is_main"]
        # Numbers, not strings, for coordinates: what mapping libraries expect.
        extra_kwargs = {"latitude": {"coerce_to_string": False}, "longitude": {"coerce_to_string": False}}


class MemberSiteFullSerializer(MemberSitePublicSerializer):
    class Meta(MemberSitePublicSerializer.Meta):
        fields = [*MemberSitePublicSerializer.Meta.fields, "address"]


class ConsentingContactListSerializer(serializers.ListSerializer):
    """A public list of contacts only ever holds the people who agreed to be contacted."""

    def to_representation(self, data):
        contacts = data.all() if hasattr(data, "all") else data
        return super().to_representation([contact for contact in contacts if contact.consents_to_contact])


class PublicContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone"]
        list_serializer_class = ConsentingContactListSerializer


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "job_title", "email", "phone", "consents_to_contact"]


class YearlyFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearlyFigure
        fields = ["year", "permanent_headcount", "permanent_fte", "insertion_headcount", "insertion_fte", "turnover"]


class MemberUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "member_role", "is_active"]


class MemberPublicSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabelField(source="kind")
    legal_form_label = ChoiceLabelField(source="legal_form")
    iae_type_label = ChoiceLabelField(source="iae_type")
    status_label = ChoiceLabelField(source="status")
    naf_label = serializers.CharField(read_only=True, allow_null=True)
    logo = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    college = CollegeSummarySerializer(read_only=True, allow_null=True)
    sites = MemberSitePublicSerializer(many=True, read_only=True)
    contacts = PublicContactSerializer(many=True, read_only=True)

    class Meta:
        model = Member
        fields = [
            "id", "name", "short_name", "kind", "kind_label", "legal_form", "legal_form_label", "is_ess",
            "esus_approved", "iae_type", "iae_type_label", "siren", "naf_code", "naf_label", "website",
            "description", "logo", "college", "status", "status_label", "sites", "contacts",
        ]  # fmt: skip


class MemberFullSerializer(MemberPublicSerializer):
    """Adds what only the coordination and the member's own users may read."""

    outstanding_fees = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("Total des cotisations restant dues.")
    )
    sites = MemberSiteFullSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)
    yearly_figures = YearlyFigureSerializer(many=True, read_only=True)
    users = MemberUserSerializer(many=True, read_only=True)

    class Meta(MemberPublicSerializer.Meta):
        fields = [
            *MemberPublicSerializer.Meta.fields,
            "joined_on", "left_on", "outstanding_fees", "yearly_figures", "users", "created_at", "updated_at",
        ]  # fmt: skip


class SitePublicSerializer(MemberSitePublicSerializer):
    member = MemberSummarySerializer(read_only=True)

    class Meta(MemberSitePublicSerializer.Meta):
        fields = [*MemberSitePublicSerializer.Meta.fields, "member"]


class SiteFullSerializer(SitePublicSerializer):
    class Meta(SitePublicSerializer.Meta):
        fields = [*SitePublicSerializer.Meta.fields, "address"]


class _PublicOrFullSerializer(serializers.BaseSerializer):
    """Writes each object with `full_class` if the requesting user may see its member's private data,
    with `public_class` otherwise."""

    public_class: type[serializers.Serializer]
    full_class: type[serializers.Serializer]

    def member_of(self, instance) -> Member:
        raise NotImplementedError

    @cached_property
    def _public(self):
        return self.public_class(context=self.context)

    @cached_property
    def _full(self):
        return self.full_class(context=self.context)

    @property
    def fields(self):
        # DRF's answer to OPTIONS (SimpleMetadata) describes the view's serializer field by field: without
        # fields it failed with a 500. The full shape's fields are the most any user gets.
        return self._full.fields

    def to_representation(self, instance):
        user = self.context["request"].user
        serializer = self._full if user.can_see_private_data_of(self.member_of(instance)) else self._public
        return serializer.to_representation(instance)


class MemberSerializer(_PublicOrFullSerializer):
    public_class = MemberPublicSerializer
    full_class = MemberFullSerializer

    def member_of(self, instance):
        return instance


class SiteSerializer(_PublicOrFullSerializer):
    public_class = SitePublicSerializer
    full_class = SiteFullSerializer

    def member_of(self, instance):
        return instance.member


# How the two read serializers appear in the OpenAPI schema: one of the two shapes.
MEMBER_SCHEMA = PolymorphicProxySerializer(
    component_name="Member",
    serializers=[MemberPublicSerializer, MemberFullSerializer],
    resource_type_field_name=None,
)
SITE_SCHEMA = PolymorphicProxySerializer(
    component_name="Site",
    serializers=[SitePublicSerializer, SiteFullSerializer],
    resource_type_field_name=None,
)


class MemberHistoryEntrySerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="record.history_date")
    type = serializers.CharField(
        source="record.history_type", help_text=_("+ création, ~ modification, - suppression")
    )
    user = serializers.CharField(source="record.history_user", allow_null=True)
    changed_fields = serializers.ListField(child=serializers.CharField())


# --- Writing ----------------------------------------------------------------------------------------


class MemberWriteSerializer(serializers.ModelSerializer):
    # Declared without the model's validators: the service first removes the spaces people type in a SIREN
    # or a NAF code, then validates.
    siren = serializers.CharField(
        required=False, allow_blank=True, help_text=_("9 chiffres ; les espaces sont acceptés.")
    )
    naf_code = serializers.CharField(required=False, allow_blank=True, help_text=_("Par exemple 38.11Z."))

    class Meta:
        model = Member
        fields = [
            "name", "short_name", "kind", "legal_form", "is_ess", "esus_approved", "iae_type", "siren", "naf_code",
            "website", "description", "status", "joined_on", "left_on", "college",
        ]  # fmt: skip
        validators = []  # constraints are checked by the service's full_clean()


class MemberArchiveSerializer(serializers.Serializer):
    left_on = serializers.DateField(required=False, allow_null=True, help_text=_("Par défaut, aujourd'hui."))


class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    """A member id among those the requesting user can see; the service then checks they may edit it."""

    def get_queryset(self):
        return Member.objects.visible_to(self.context["request"].user)


class SiteUpdateSerializer(serializers.ModelSerializer):
    siret = serializers.CharField(
        required=False, allow_blank=True, help_text=_("14 chiffres ; les espaces sont acceptés.")
    )

    class Meta:
        model = Site
        fields = ["name", "siret", "address", "postcode", "commune", "latitude", "longitude", "is_main"]
        validators = []  # constraints are checked by the service's full_clean()


class SiteCreateSerializer(SiteUpdateSerializer):
    member = VisibleMemberField(queryset=Member.objects.all())

    class Meta(SiteUpdateSerializer.Meta):
        fields = ["member", *SiteUpdateSerializer.Meta.fields]
