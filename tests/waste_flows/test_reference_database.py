"""The reference data is in the database right after `migrate`, with no extra command."""

from waste_flows.models import EwcCode, Material, MaterialUse, Unit


def test_the_european_list_of_waste_is_loaded_whole(db):
    assert EwcCode.objects.filter(level="chapter").count() == 20
    assert EwcCode.objects.filter(level="subchapter").count() == 111
    assert EwcCode.objects.filter(level="entry").count() == 842
    assert EwcCode.objects.filter(level="entry", hazardous=True).count() == 408


def test_every_waste_entry_is_mapped_to_a_material_in_the_database(db):
    assert not EwcCode.objects.filter(level="entry", material__isnull=True).exists()
    assert EwcCode.objects.get(code="15 01 03").material.code == "wood.packaging"
    assert EwcCode.objects.get(code="20 01 08").material.code.startswith("biowaste.food")


def test_the_hierarchy_of_waste_codes_is_linked(db):
    entry = EwcCode.objects.select_related("parent__parent").get(code="10 01 02")

    assert entry.parent.code == "10 01"
    assert entry.parent.parent.code == "10"
    assert entry.chapter == "10"


def test_hazardous_codes_are_displayed_with_an_asterisk(db):
    assert EwcCode.objects.get(code="13 02 05").code_display == "13 02 05*"
    assert EwcCode.objects.get(code="15 01 03").code_display == "15 01 03"


def test_every_material_family_feeds_at_least_one_need(db):
    families = set(Material.objects.families().values_list("code", flat=True))
    offered_families = {code.split(".")[0] for code in MaterialUse.objects.values_list("material__code", flat=True)}

    assert families == offered_families


def test_material_descendants_are_found_by_code_prefix(db):
    wood = set(Material.objects.descendants_of("wood").values_list("code", flat=True))

    assert {"wood", "wood.pallets", "wood.sawdust"} <= wood
    assert not any(code.startswith("paper") for code in wood)


def test_units_convert_to_their_base_unit(db):
    assert Unit.objects.get(code="t").factor_to_base == 1000
    assert Unit.objects.get(code="MWh").factor_to_base == 1000
    assert Unit.objects.get(code="L").dimension == "volume"


def test_names_follow_the_language(db):
    from django.utils import translation

    pallets = Material.objects.get(code="wood.pallets")
    with translation.override("en"):
        assert pallets.name == "Pallets"
    with translation.override("fr"):
        assert pallets.name == "Palettes"
