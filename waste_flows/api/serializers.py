"""Serializers of the waste flows API.

Reference data is read-only. Streams are read with `StreamSerializer` (nested member, site, material and
waste code, so that a client needs no second request) and written with `StreamWriteSerializer`, which names
material, unit and waste code by their codes and only checks types: `waste_flows.services` validates
(dimensions, kinds, full_clean) and decides who may declare what; it is never `.save()`d. The inventory
serializers write out the frozen dataclasses of `waste_flows.selectors`; their quantities are JSON numbers,
ready for charts, while the quantities of a stream stay exact decimal strings.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.api.fields import ChoiceLabelField
from members.enums import MemberRole
from members.models import Member, Site

from ..models import EwcCode, Material, MaterialUse, Stream, Unit
from ..reference import BASE_UNITS

# --- Reference data ---------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("Dans la langue de la requête."))
    dimension_label = ChoiceLabelField(source="dimension")

    class Meta:
        model = Unit
        fields = ["code", "name", "name_fr", "name_en", "symbol", "dimension", "dimension_label", "factor_to_base",
                  "note"]  # fmt: skip


class EwcCodeSerializer(serializers.ModelSerializer):
    code_display = serializers.CharField(read_only=True, help_text=_("Le code, suivi de « * » s'il est dangereux."))
    chapter = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, help_text=_("Dans la langue de la requête."))
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)
    material = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("Code de la matière correspondante.")
    )

    class Meta:
        model = EwcCode
        fields = ["code", "code_display", "level", "parent", "chapter", "hazardous", "description", "description_fr",
                  "description_en", "material"]  # fmt: skip


class MaterialUseSerializer(serializers.ModelSerializer):
    use_material = serializers.SlugRelatedField(slug_field="code", read_only=True)
    use_material_name = serializers.CharField(source="use_material.name", read_only=True)
    note = serializers.CharField(read_only=True)

    class Meta:
        model = MaterialUse
        fields = ["use_material", "use_material_name", "note", "note_fr", "note_en", "source"]


class MaterialSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    family = serializers.CharField(source="family_code", read_only=True, help_text=_("Code de la racine."))
    name = serializers.CharField(read_only=True, help_text=_("Dans la langue de la requête."))
    synonyms_fr = serializers.SerializerMethodField()
    synonyms_en = serializers.SerializerMethodField()
    kind_label = ChoiceLabelField(source="kind")
    dimension_label = ChoiceLabelField(source="dimension")
    uses = MaterialUseSerializer(
        many=True, read_only=True, help_text=_("Besoins que cette matière peut couvrir, avec leur source.")
    )

    class Meta:
        model = Material
        fields = ["code", "parent", "family", "name", "name_fr", "name_en", "synonyms_fr", "synonyms_en", "kind",
                  "kind_label", "dimension", "dimension_label", "density_kg_per_m3", "can_be_hazardous",
                  "uses"]  # fmt: skip

    def get_synonyms_fr(self, material: Material) -> list[str]:
        return _split(material.synonyms_fr)

    def get_synonyms_en(self, material: Material) -> list[str]:
        return _split(material.synonyms_en)


def _split(synonyms: str) -> list[str]:
    return [synonym.strip() for synonym in synonyms.split("|") if synonym.strip()]


# --- Streams: reading -------------------------------------------------------------------------------


class StreamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name"]


class StreamSiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "commune", "latitude", "longitude"]
        # Numbers, not strings, for coordinates: what mapping libraries expect (as in the members API).
        extra_kwargs = {"latitude": {"coerce_to_string": False}, "longitude": {"coerce_to_string": False}}


class StreamMaterialSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Material
        fields = ["code", "name", "dimension"]


class StreamEwcSerializer(serializers.ModelSerializer):
    description = serializers.CharField(read_only=True)

    class Meta:
        model = EwcCode
        fields = ["code", "code_display", "hazardous", "description"]


class StreamSerializer(serializers.ModelSerializer):
    member = StreamMemberSerializer(source="site.member", read_only=True)
    site = StreamSiteSerializer(read_only=True)
    material = StreamMaterialSerializer(read_only=True)
    ewc = StreamEwcSerializer(source="ewc_code", read_only=True, allow_null=True)
    unit = serializers.CharField(source="unit_id", read_only=True, help_text=_("Code de l'unité déclarée."))
    unit_symbol = serializers.CharField(source="unit.symbol", read_only=True)
    base_unit = serializers.SerializerMethodField(
        help_text=_("Code de l'unité de base de la grandeur de la matière, celle de `annual_quantity`.")
    )
    direction_label = ChoiceLabelField(source="direction")
    kind_label = ChoiceLabelField(source="kind")
    period_label = ChoiceLabelField(source="period")
    current_route_label = ChoiceLabelField(source="current_route")
    confidentiality_label = ChoiceLabelField(source="confidentiality")
    status_label = ChoiceLabelField(source="status")
    is_hazardous = serializers.BooleanField(read_only=True)

    class Meta:
        model = Stream
        fields = [
            "id", "direction", "direction_label", "kind", "kind_label", "member", "site", "material", "ewc",
            "is_hazardous", "description", "quantity", "unit", "unit_symbol", "period", "period_label",
            "annual_quantity", "base_unit", "regularity", "months", "available_from", "available_until",
            "physical_form", "quality_notes", "current_route", "current_route_label", "current_route_cost",
            "max_distance_km", "accepts_hazardous", "confidentiality", "confidentiality_label", "status",
            "status_label", "created_at", "updated_at",
        ]  # fmt: skip

    def get_base_unit(self, stream: Stream) -> str:
        return BASE_UNITS.get(stream.material.dimension, "")


# --- Streams: writing -------------------------------------------------------------------------------


class EditableSiteField(serializers.PrimaryKeyRelatedField):
    """A site of the requesting user's own organisation (any site for the coordination)."""

    default_error_messages = {
        "does_not_exist": _(
            "Choisissez un site de votre structure : vous ne pouvez pas déclarer pour un autre membre."
        )
    }

    def get_queryset(self):
        user = self.context["request"].user
        if user.is_coordinator:
            return Site.objects.all()
        if user.member_id and user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR):
            return Site.objects.filter(member_id=user.member_id)
        return Site.objects.none()


class StreamWriteSerializer(serializers.ModelSerializer):
    site = EditableSiteField(queryset=Site.objects.all(), help_text=_("Identifiant d'un site de votre structure."))
    material = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Material.objects.all(),
        help_text=_("Code de la matière, par exemple wood.pallets."),
    )
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        help_text=_("Code d'une unité de la même grandeur que la matière, par exemple t, kg, m3, MWh."),
    )
    ewc_code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=EwcCode.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code déchet à 6 chiffres, avec ses espaces, par exemple « 15 01 03 »."),
    )
    months = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("Mois de disponibilité d'un flux saisonnier, 1 = janvier."),
    )

    class Meta:
        model = Stream
        fields = [
            "site", "direction", "kind", "material", "ewc_code", "description", "quantity", "unit", "period",
            "regularity", "months", "available_from", "available_until", "physical_form", "quality_notes",
            "current_route", "current_route_cost", "max_distance_km", "accepts_hazardous", "confidentiality",
            "status",
        ]  # fmt: skip
        validators = []  # constraints are checked by the service's full_clean()


# --- Inventory --------------------------------------------------------------------------------------


def _number(decimal_places: int = 3, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=decimal_places, coerce_to_string=False, read_only=True, **kwargs
    )


class RouteQuantitySerializer(serializers.Serializer):
    route = serializers.CharField(help_text=_("Devenir actuel ; une offre sans devenir renseigné compte en unknown."))
    label = serializers.CharField()
    quantity = _number()


class FamilyRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code de la famille (racine de l'arbre des matières)."))
    name = serializers.CharField()
    dimension = serializers.CharField()
    dimension_label = serializers.CharField()
    unit = serializers.CharField(help_text=_("Unité des quantités : t, MWh, ou l'unité de base de la grandeur."))
    unit_symbol = serializers.CharField()
    by_route = RouteQuantitySerializer(many=True)
    total = _number()
    offer_count = serializers.IntegerField()


class FamilyInventorySerializer(serializers.Serializer):
    mass = FamilyRowSerializer(many=True, help_text=_("Matières mesurées en masse, en t/an, la plus grosse d'abord."))
    energy = FamilyRowSerializer(many=True, help_text=_("Énergie, en MWh/an."))
    other = FamilyRowSerializer(many=True, help_text=_("Autres grandeurs, dans leur unité de base, par an."))
    mass_by_route = RouteQuantitySerializer(many=True, help_text=_("Tonnes par an de toutes les familles."))
    mass_total = _number()


class RouteShareSerializer(serializers.Serializer):
    route = serializers.CharField()
    label = serializers.CharField()
    tonnes = _number()
    percent = _number(decimal_places=1)


class InventorySharesSerializer(serializers.Serializer):
    total_tonnes = _number()
    routes = RouteShareSerializer(many=True)
    local_tonnes = _number()
    local_percent = _number(decimal_places=1)
    disposed_tonnes = _number(help_text=_("Enfouissement et incinération sans valorisation."))
    disposed_percent = _number(decimal_places=1)
    exported_tonnes = _number(help_text=_("Recyclage et valorisation énergétique hors du territoire."))
    exported_percent = _number(decimal_places=1)
    unknown_tonnes = _number()
    unknown_percent = _number(decimal_places=1)


class InventoryStreamSerializer(serializers.Serializer):
    stream_id = serializers.IntegerField()
    direction = serializers.CharField()
    member_id = serializers.IntegerField()
    member_name = serializers.CharField()
    site_id = serializers.IntegerField()
    site_name = serializers.CharField()
    commune = serializers.CharField()
    material_code = serializers.CharField()
    material_name = serializers.CharField()
    family_code = serializers.CharField()
    annual_quantity = _number(help_text=_("Par an, dans `unit` : t pour une masse, MWh pour une énergie."))
    unit = serializers.CharField()
    unit_symbol = serializers.CharField()
    current_route = serializers.CharField()
    current_route_label = serializers.CharField()
    current_route_cost = _number(decimal_places=2, allow_null=True, help_text=_("Coût annuel, en euros."))


class TerritoryInventorySerializer(serializers.Serializer):
    families = FamilyInventorySerializer()
    shares = InventorySharesSerializer()
    biggest_unvalorised_offers = InventoryStreamSerializer(many=True)
    needs_without_local_supply = InventoryStreamSerializer(many=True)
    offers_without_local_use = InventoryStreamSerializer(many=True)
