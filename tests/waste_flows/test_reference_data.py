"""The reference data shipped with waste_flows: plain pytest, no database, no Django."""

import csv
import shutil
from decimal import Decimal

import pytest

from waste_flows.reference import (
    DATA_DIR,
    DIMENSIONS,
    KINDS,
    convert,
    load_ewc_codes,
    load_ewc_materials,
    load_material_uses,
    load_materials,
    load_units,
    validate_reference_data,
)


@pytest.fixture(scope="module")
def ewc():
    return {row.code: row for row in load_ewc_codes()}


@pytest.fixture(scope="module")
def materials():
    return {row.code: row for row in load_materials()}


@pytest.fixture(scope="module")
def mapping():
    return {row.ewc_code: row.material_code for row in load_ewc_materials()}


@pytest.fixture(scope="module")
def units():
    return {unit.code: unit for unit in load_units()}


def is_within(code, ancestor):
    return code == ancestor or code.startswith(ancestor + ".")


# The European List of Waste


def test_ewc_list_has_20_chapters_111_subchapters_and_842_entries(ewc):
    levels = [row.level for row in ewc.values()]
    assert len(ewc) == 973
    assert (levels.count("chapter"), levels.count("subchapter"), levels.count("entry")) == (20, 111, 842)


def test_408_ewc_entries_are_hazardous_and_marked_with_an_asterisk(ewc):
    hazardous = [row for row in ewc.values() if row.is_entry and row.hazardous]
    assert len(hazardous) == 408
    assert all(row.code_display == row.code + "*" for row in hazardous)


def test_every_ewc_row_but_the_chapters_has_an_existing_parent(ewc):
    for row in ewc.values():
        if row.level == "chapter":
            assert row.parent is None
        else:
            assert ewc[row.parent].digits == row.digits - 2


def test_ewc_descriptions_are_in_french_and_english(ewc):
    assert ewc["15 01 03"].description_fr == "emballages en bois"
    assert ewc["15 01 03"].description_en == "Wooden packaging"
    assert all(row.description_fr and row.description_en for row in ewc.values())


# The EWC to material mapping


def test_every_ewc_entry_maps_to_exactly_one_known_material(ewc, materials):
    rows = load_ewc_materials()
    entries = {code for code, row in ewc.items() if row.is_entry}
    assert len(rows) == len({row.ewc_code for row in rows}) == 842
    assert {row.ewc_code for row in rows} == entries
    assert all(row.material_code in materials for row in rows)


@pytest.mark.parametrize(
    ("ewc_code", "material_code"),
    [
        ("15 01 03", "wood.packaging"),
        ("03 01 05", "wood.sawdust"),
        ("20 01 08", "biowaste.food"),
        ("10 01 01", "minerals.ash.bottom"),
        ("10 01 02", "minerals.ash.fly"),
        ("10 02 02", "minerals.slag"),
        ("10 01 05", "minerals.gypsum"),
        ("10 09 08", "minerals.foundry_sand"),
        ("17 01 01", "minerals.inert.concrete"),
        ("19 08 05", "biowaste.sludge.sewage"),
        ("02 02 04", "biowaste.sludge.biological"),
        ("13 02 05", "chemicals.mineral_oils"),
        ("14 06 03", "chemicals.solvents"),
        ("16 01 03", "rubber.tyres"),
        ("20 01 36", "weee"),
        ("20 03 01", "residual"),
        ("18 01 03", "healthcare.infectious"),
        ("17 04 05", "metals.ferrous"),
        ("17 04 02", "metals.non_ferrous.aluminium"),
        ("20 01 01", "paper"),
        ("15 01 02", "plastics.mixed"),
        ("02 01 06", "biowaste.manure"),
        ("20 02 01", "biowaste.green"),
        ("20 01 25", "fats.cooking_oil"),
        ("16 06 01", "batteries.lead"),
    ],
)
def test_ewc_entry_maps_to_the_expected_material(mapping, ewc_code, material_code):
    assert mapping[ewc_code] == material_code


def test_hazardous_ewc_entries_map_only_to_materials_that_can_be_hazardous(ewc, materials, mapping):
    for code, material_code in mapping.items():
        if ewc[code].hazardous:
            assert materials[material_code].can_be_hazardous, code


# The material tree


def test_material_tree_has_between_80_and_130_nodes_and_is_two_or_three_levels_deep(materials):
    depths = {code.count(".") + 1 for code in materials}
    assert 80 <= len(materials) <= 130
    assert depths == {1, 2, 3}


def test_every_material_parent_exists_and_is_its_dotted_prefix(materials):
    for row in materials.values():
        assert row.parent == (row.code.rpartition(".")[0] or None)
        assert row.parent is None or row.parent in materials


def test_material_tree_has_no_cycle(materials):
    for code in materials:
        seen = set()
        while code is not None:
            assert code not in seen
            seen.add(code)
            code = materials[code].parent


def test_every_material_has_a_known_kind_and_dimension_and_names_in_both_languages(materials):
    for row in materials.values():
        assert row.kind in KINDS
        assert row.dimension in DIMENSIONS
        assert row.name_fr and row.name_en and row.synonyms_fr and row.synonyms_en


@pytest.mark.parametrize(
    "code",
    [
        # wood
        "wood.pallets", "wood.sawdust", "wood.untreated", "wood.treated", "wood.packaging", "wood.fuel",
        "wood.panel_feedstock",
        # paper, plastics by family, rubber, metals, glass, textiles, WEEE, batteries
        "paper.cardboard", "paper.mill_feedstock", "plastics.pe_film", "plastics.pet", "plastics.pp", "plastics.pvc",
        "plastics.ps", "plastics.mixed", "rubber.tyres", "metals.ferrous", "metals.non_ferrous.aluminium",
        "metals.non_ferrous.copper", "metals.non_ferrous.mixed", "metals.steel_feedstock", "glass", "textiles",
        "weee", "batteries",
        # biowaste, oils and fats
        "biowaste.food", "biowaste.green", "biowaste.agrifood", "biowaste.manure", "biowaste.sludge.biological",
        "biowaste.sludge.sewage", "biowaste.methanisation_feedstock", "biowaste.soil_improver",
        "biowaste.animal_feed", "fats.cooking_oil",
        # mineral by-products
        "minerals.ash.fly", "minerals.ash.bottom", "minerals.slag", "minerals.gypsum", "minerals.foundry_sand",
        "minerals.aggregates", "minerals.aggregates.recycled", "minerals.inert.concrete", "minerals.soil",
        "minerals.cement_feedstock", "minerals.plaster_feedstock",
        # chemicals, mixed waste, health care
        "chemicals.solvents", "chemicals.acids", "chemicals.alkalis", "chemicals.mineral_oils", "chemicals.paints",
        "chemicals", "residual", "healthcare",
        # energy, water, gases
        "energy.steam", "energy.heat", "energy.heat.process", "energy.heat.hot_water", "energy.heat.warm_water",
        "energy.electricity", "energy.fuel_gas", "energy.fuel_gas.biogas", "water.process", "water.cooling",
        "water.rain", "water.effluent", "water.effluent.treated", "gases.co2", "gases",
        # non-material resources
        "equipment", "premises", "premises.storage", "services.transport", "services.waste_collection",
        "services.maintenance", "services.cleaning", "services.catering", "services.purchasing", "skills",
        "skills.training",
    ],
)  # fmt: skip
def test_material_family_exists(materials, code):
    assert code in materials


def test_non_material_resources_are_services_measured_in_time_area_count_or_mass(materials):
    for root in ("equipment", "premises", "services", "skills"):
        family = [row for row in materials.values() if is_within(row.code, root)]
        assert {row.kind for row in family} == {"service"}
        assert {row.dimension for row in family} <= {"time", "area", "count", "mass"}


def test_energy_water_and_gases_have_their_own_kinds(materials):
    assert materials["energy.steam"].kind == "energy"
    assert materials["energy.steam"].dimension == "energy"
    assert materials["water.process"].kind == "water"
    assert materials["gases.co2"].kind == "gas"


def test_synonyms_include_the_trade_words_people_type(materials):
    assert "palettes Europe" in materials["wood.pallets"].synonyms_fr
    assert "ferraille" in materials["metals.ferrous"].synonyms_fr
    assert "restes de repas" in materials["biowaste.food"].synonyms_fr
    assert "mâchefers" in materials["minerals.ash.bottom"].synonyms_fr
    assert "DEEE" in materials["weee"].synonyms_fr


def test_densities_are_given_only_where_they_are_meaningful(materials):
    assert materials["water.process"].density_kg_per_m3 == Decimal("1000")
    assert materials["fats.cooking_oil"].density_kg_per_m3 == Decimal("920")
    assert materials["services.cleaning"].density_kg_per_m3 is None


# Material uses


def test_every_root_family_is_offered_in_at_least_one_use(materials):
    offered_roots = {row.material_code.split(".")[0] for row in load_material_uses()}
    roots = {code for code, row in materials.items() if row.parent is None}
    assert roots <= offered_roots


def test_every_material_use_links_two_known_materials_and_cites_a_source(materials):
    for row in load_material_uses():
        assert row.material_code in materials and row.use_material_code in materials
        assert row.material_code != row.use_material_code
        assert row.note_fr and row.note_en and row.source
        assert "http" not in row.source


@pytest.mark.parametrize(
    ("offered", "needed"),
    [
        ("wood.pallets", "wood.fuel"),
        ("wood.packaging", "wood.panel_feedstock"),
        ("biowaste.food", "biowaste.methanisation_feedstock"),
        ("biowaste.agrifood", "biowaste.animal_feed"),
        ("minerals.ash.fly", "minerals.cement_feedstock"),
        ("minerals.gypsum", "minerals.plaster_feedstock"),
        ("energy.steam", "energy.heat"),
        ("water.effluent.treated", "water.process"),
        ("biowaste.sludge.sewage", "biowaste.soil_improver"),
        ("fats.cooking_oil", "fats.biodiesel_feedstock"),
        ("paper.cardboard", "paper.mill_feedstock"),
        ("minerals.inert.concrete", "minerals.aggregates.recycled"),
        ("metals.ferrous", "metals.steel_feedstock"),
        ("gases.co2", "gases.co2.greenhouse"),
    ],
)
def test_offered_material_can_feed_the_expected_need(offered, needed):
    assert (offered, needed) in {(row.material_code, row.use_material_code) for row in load_material_uses()}


def test_food_waste_for_animal_feed_is_flagged_as_forbidden_for_catering_waste():
    notes = {(row.material_code, row.use_material_code): row for row in load_material_uses()}
    row = notes[("biowaste.agrifood", "biowaste.animal_feed")]
    assert "restes de repas" in row.note_fr
    assert "1069/2009" in row.source
    assert ("biowaste.food", "biowaste.animal_feed") not in notes


# Units


def test_every_unit_has_a_known_dimension_and_each_dimension_one_base_unit(units):
    assert all(unit.dimension in DIMENSIONS for unit in units.values())
    bases = {unit.dimension: code for code, unit in units.items() if unit.factor_to_base == 1 and unit.is_base}
    assert bases == {"mass": "kg", "volume": "m3", "energy": "kWh", "area": "m2", "time": "h", "count": "piece"}


def test_every_material_dimension_has_a_unit(materials, units):
    assert {row.dimension for row in materials.values()} <= {unit.dimension for unit in units.values()}


@pytest.mark.parametrize(
    ("quantity", "from_unit", "to_unit", "expected"),
    [
        ("1", "t", "kg", "1000"),
        ("1", "MWh", "kWh", "1000"),
        ("1", "L", "m3", "0.001"),
        ("2500", "kg", "t", "2.5"),
        ("1", "t_steam", "kWh", "750"),
        ("3", "pallet", "piece", "3"),
    ],
)
def test_units_convert_exactly(units, quantity, from_unit, to_unit, expected):
    assert convert(Decimal(quantity), from_unit=from_unit, to_unit=to_unit, units=units) == Decimal(expected)


def test_one_gigajoule_is_277_point_78_kilowatt_hours(units):
    assert convert(Decimal(1), from_unit="GJ", to_unit="kWh", units=units) == pytest.approx(Decimal(1000) / 36 * 10)
    assert convert(Decimal("3.6"), from_unit="GJ", to_unit="MWh", units=units) == pytest.approx(Decimal(1))


def test_units_of_different_dimensions_do_not_convert(units):
    with pytest.raises(ValueError, match="cannot convert mass"):
        convert(Decimal(1), from_unit="t", to_unit="m3", units=units)


def test_steam_unit_documents_its_energy_convention(units):
    assert units["t_steam"].dimension == "energy"
    assert "t/h" in units["t_steam"].note


# Validation


def test_shipped_reference_data_has_no_problem():
    assert validate_reference_data() == []


@pytest.fixture
def data_copy(tmp_path):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def test_validation_reports_an_unmapped_entry_and_an_unknown_material(data_copy):
    rewrite(data_copy / "ewc_materials.csv", lambda rows: [rows[0], ["15 01 03", "wood.unknown"], *rows[2:]])
    problems = validate_reference_data(data_copy)
    assert "EWC entry 01 01 01 has no material" in problems
    assert "mapping 15 01 03: unknown material wood.unknown" in problems


def test_validation_reports_an_unknown_parent_and_a_root_family_without_use(data_copy):
    orphan = ["orphan.child", "orphan", "Orphelin", "Orphan", "", "", "material", "mass", "", "false"]
    rewrite(data_copy / "materials.csv", lambda rows: [*rows, orphan])
    rewrite(data_copy / "material_uses.csv", lambda rows: [row for row in rows if row[0].split(".")[0] != "gases"])
    problems = validate_reference_data(data_copy)
    assert "material orphan.child: unknown parent orphan" in problems
    assert "root family gases has no use" in problems


def test_validation_reports_a_duplicate_code_and_a_unit_with_an_unknown_dimension(data_copy):
    rewrite(data_copy / "units.csv", lambda rows: [*rows, ["t", "Tonne", "Tonne", "t", "weight", "1000", ""]])
    problems = validate_reference_data(data_copy)
    assert "duplicate unit code t" in problems
    assert "unit t: unknown dimension weight" in problems
