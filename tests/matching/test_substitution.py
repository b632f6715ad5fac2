from dataclasses import replace
from datetime import date

from waste_flows.matching import EngineSettings, MaterialGraph, run
from waste_flows.matching.geo import haversine_km

from .streams import LYON, east_of, need, north_of, offer

USES = MaterialGraph(uses=frozenset({("wood.pallets", "wood.fuel")}))


def pairs(*streams, graph=USES, **settings):
    result = run(streams=streams, graph=graph, settings=EngineSettings(**settings))
    return {(s.offer_id, s.need_id): s for s in result.substitutions}


def test_same_material_matches_with_fit_same():
    o, n = offer(material="wood.pallets"), need(material="wood.pallets")
    assert pairs(o, n)[(o.id, n.id)].material_fit == "same"


def test_offer_of_a_descendant_material_feeds_a_need_for_its_parent():
    o, n = offer(material="wood.pallets"), need(material="wood")
    assert pairs(o, n)[(o.id, n.id)].material_fit == "descendant"


def test_offer_of_a_parent_material_does_not_feed_a_need_for_a_precise_child():
    assert pairs(offer(material="wood"), need(material="wood.pallets")) == {}


def test_material_use_edge_makes_a_use_fit():
    o, n = offer(material="wood.pallets"), need(material="wood.fuel")
    assert pairs(o, n)[(o.id, n.id)].material_fit == "use"


def test_use_edge_applies_from_an_offer_descendant_and_to_a_need_descendant():
    graph = MaterialGraph(uses=frozenset({("wood", "energy.heat")}))
    o, n = offer(material="wood.pallets"), need(material="energy.heat.process")
    assert pairs(o, n, graph=graph)[(o.id, n.id)].material_fit == "use"


def test_unrelated_materials_never_match():
    assert pairs(offer(material="wood.pallets"), need(material="plastics.pet")) == {}


def test_different_dimensions_never_match():
    assert pairs(offer(dimension="mass"), need(dimension="volume")) == {}


def test_same_member_is_never_matched_with_itself():
    assert pairs(offer(member=7), need(member=7, at=east_of(LYON, 1))) == {}


def test_zero_distance_between_different_members_matches_with_full_closeness():
    o, n = offer(at=LYON), need(at=LYON)
    match = pairs(o, n)[(o.id, n.id)]
    distance = next(c for c in match.criteria if c.name == "distance")
    assert match.distance_km == 0.0 and distance.score == 1.0


def test_distance_beyond_the_offer_limit_fails():
    assert pairs(offer(max_distance_km=10), need(at=north_of(LYON, 20), max_distance_km=100), road_factor=1.0) == {}


def test_distance_beyond_the_need_limit_fails():
    assert pairs(offer(max_distance_km=100), need(at=north_of(LYON, 20), max_distance_km=10), road_factor=1.0) == {}


def test_default_limit_applies_when_a_party_has_none():
    far = north_of(LYON, 45)  # 45 km × 1.3 = 58.5 km > the 50 km default
    assert pairs(offer(), need(at=far, max_distance_km=500)) == {}
    assert pairs(offer(), need(at=far, max_distance_km=500), default_max_distance_km=60)


def test_distance_exactly_at_the_limit_passes_and_just_beyond_fails():
    site = north_of(LYON, 37)
    exact = haversine_km(*LYON, *site) * 1.3
    o = offer(max_distance_km=exact)
    assert pairs(o, need(at=site, max_distance_km=exact))
    assert pairs(replace(o, max_distance_km=exact * (1 - 1e-12)), need(at=site)) == {}


def test_distance_criterion_reports_the_figures():
    o, n = offer(max_distance_km=40), need(at=north_of(LYON, 10), max_distance_km=30)
    distance = next(c for c in pairs(o, n, road_factor=1.0)[(o.id, n.id)].criteria if c.name == "distance")
    assert distance.detail["limit_km"] == 30 and round(distance.detail["distance_km"], 6) == 10.0
    assert round(distance.score, 6) == round(1 - 10 / 30, 6)


def test_overlapping_availability_windows_match():
    o = offer(available_from=date(2025, 1, 1), available_until=date(2025, 6, 30))
    assert pairs(o, need(available_from=date(2025, 6, 30)))


def test_disjoint_availability_windows_never_match():
    o = offer(available_from=date(2025, 1, 1), available_until=date(2025, 6, 29))
    assert pairs(o, need(available_from=date(2025, 6, 30))) == {}


def test_disjoint_months_never_match_but_one_common_month_does():
    assert pairs(offer(months=(1, 2, 3)), need(months=(7, 8))) == {}
    assert pairs(offer(months=(1, 2, 3)), need(months=(3, 4)))
    assert pairs(offer(months=(1, 2, 3)), need(months=()))


def test_hazardous_offer_only_goes_to_a_need_that_accepts_it():
    assert pairs(offer(hazardous=True), need(accepts_hazardous=False)) == {}
    assert pairs(offer(hazardous=True), need(accepts_hazardous=True))


def test_stream_without_coordinates_never_matches():
    assert pairs(offer(at=None), need()) == {}
    assert pairs(offer(), need(at=None)) == {}


def test_quantity_coverage_is_capped_at_one_and_exact_when_equal():
    o, n = offer(quantity=500.0), need(quantity=500.0)
    assert pairs(o, n)[(o.id, n.id)].coverage == 1.0
    small = offer(quantity=250.0)
    assert pairs(small, n)[(small.id, n.id)].coverage == 0.5


def test_score_is_the_documented_weighted_sum():
    o, n = offer(quantity=500.0, current_route="landfill"), need(quantity=1000.0)
    assert pairs(o, n)[(o.id, n.id)].score == round(0.3 * 1.0 + 0.3 * 0.5 + 0.2 * 1.0 + 0.2 * 1.0, 6)


def test_an_offer_going_to_landfill_ranks_before_one_already_valorised_locally():
    n = need()
    landfill, local = offer(current_route="landfill"), offer(current_route="local_valorisation")
    found = pairs(landfill, local, n)
    assert found[(landfill.id, n.id)].score > found[(local.id, n.id)].score
    assert run(streams=[local, landfill, n], graph=USES).substitutions[0].offer_id == landfill.id


def test_min_score_drops_weak_pairs():
    o, n = offer(current_route="local_valorisation", quantity=1.0), need(at=north_of(LYON, 30), quantity=1000.0)
    assert pairs(o, n, min_score=0.2)
    assert pairs(o, n, min_score=0.5) == {}


def test_top_k_keeps_a_pair_in_the_top_of_its_need_or_of_its_offer_and_drops_the_rest():
    a, b = offer(current_route="landfill"), offer(current_route="local_valorisation")
    n1, n2 = need(), need(at=north_of(LYON, 10))
    # Best need of each offer: n1. Best offer of each need: a. Only b → n2 is in nobody's top 1.
    assert set(pairs(a, b, n1, n2, top_k=1)) == {(a.id, n1.id), (a.id, n2.id), (b.id, n1.id)}
    assert len(pairs(a, b, n1, n2, top_k=2)) == 4


def test_every_check_is_explained():
    o, n = offer(current_route="incineration"), need()
    names = [c.name for c in pairs(o, n)[(o.id, n.id)].criteria]
    assert names == ["material", "quantity", "distance", "availability", "hazardous", "route_gain"]


def test_results_do_not_depend_on_input_order():
    streams = [offer(at=east_of(LYON, i)) for i in range(5)] + [need(at=north_of(LYON, i)) for i in range(5)]
    assert run(streams=streams, graph=USES) == run(streams=list(reversed(streams)), graph=USES)


def test_index_examines_fewer_pairs_than_all_pairs_when_towns_are_far_apart():
    paris = (48.85, 2.35)
    streams = [offer(at=east_of(LYON, i)) for i in range(5)] + [need(at=east_of(paris, i)) for i in range(5)]
    streams += [need(at=north_of(LYON, i)) for i in range(5)]
    result = run(streams=streams, graph=USES)
    assert result.candidate_pairs == 25 and len(result.substitutions) == 25
