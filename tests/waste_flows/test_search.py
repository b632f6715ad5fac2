"""Ranked search of materials and EWC codes (waste_flows/search.py), on the reference data of the migrations."""

import pytest

from waste_flows.search import Entry, ewc_entries, material_entries, rank

pytestmark = pytest.mark.django_db


def materials(query, limit=5):
    return rank(query, material_entries(), limit=limit)


def ewc(query, limit=20):
    return rank(query, ewc_entries(), limit=limit)


def test_accents_and_case_are_ignored():
    assert materials("machefer")[0] == "minerals.ash.bottom"
    assert materials("MÂCHEFERS")[0] == "minerals.ash.bottom"


def test_a_synonym_finds_its_material_first():
    assert materials("ferraille")[0] == "metals.ferrous"


def test_a_name_beats_a_word_found_elsewhere():
    assert materials("palettes") == ["wood.pallets"]
    assert materials("bois")[0] == "wood"


def test_english_words_find_materials_and_waste_codes():
    assert materials("pallets")[0] == "wood.pallets"
    assert materials("steel scrap")[0] == "metals.ferrous"
    assert ewc("wooden packaging")[0] == "15 01 03"


def test_several_words_must_all_match():
    assert materials("huile friture") == ["fats.cooking_oil"]


def test_a_waste_code_with_or_without_spaces_comes_first():
    assert ewc("150103")[0] == "15 01 03"
    assert ewc("15 01 03")[0] == "15 01 03"


def test_a_sub_chapter_lists_its_entries_first():
    results = ewc("15 01")
    entries_of_15_01 = [code for code in (entry.key for entry in ewc_entries()) if code.startswith("15 01 ")]

    assert results[: len(entries_of_15_01)] == entries_of_15_01


def test_ewc_descriptions_are_searched_in_french():
    assert "15 01 03" in ewc("emballages en bois")


def test_nothing_typed_finds_nothing():
    assert materials("") == []
    assert materials("  ,; ") == []


def test_unknown_words_find_nothing():
    assert materials("zzyzx") == []


def test_the_limit_keeps_the_best_results():
    assert len(ewc("15", limit=3)) == 3


def test_ties_keep_the_order_of_the_entries():
    entries = [
        Entry(key="b", code="b", names=("bois b",), synonyms="", text="b bois b"),
        Entry(key="a", code="a", names=("bois a",), synonyms="", text="a bois a"),
    ]

    assert rank("bois", entries) == ["b", "a"]


def test_ranking_order_is_code_then_name_then_synonym_then_anywhere():
    entries = [
        Entry(key="anywhere", code="x1", names=("autre",), synonyms="", text="x1 autre cartonnage"),
        Entry(key="synonym", code="x2", names=("papier",), synonyms="carton", text="x2 papier carton"),
        Entry(key="words", code="x3", names=("gros carton",), synonyms="", text="x3 gros carton"),
        Entry(key="prefix", code="x4", names=("carton brun",), synonyms="", text="x4 carton brun"),
        Entry(key="code", code="carton", names=("z",), synonyms="", text="carton z"),
    ]

    assert rank("carton", entries) == ["code", "prefix", "words", "synonym", "anywhere"]
