from waste_flows.matching import EngineSettings, run

from .streams import LYON, need, north_of, offer

COLLECTION = "services.waste_collection"


def groups(*streams, **settings):
    return run(streams=streams, settings=EngineSettings(**settings)).shared_needs


def test_three_members_needing_waste_collection_nearby_are_grouped_and_a_distant_fourth_is_not():
    close = [need(material=COLLECTION, quantity=100, at=north_of(LYON, km)) for km in (0, 4, 8)]
    distant = need(material=COLLECTION, quantity=100, at=north_of(LYON, 80))
    [group] = groups(*close, distant, shared_need_radius_km=10, road_factor=1.0)
    assert group.need_ids == tuple(n.id for n in close)
    assert group.member_ids == tuple(sorted(n.member_id for n in close))
    assert group.total == 300 and group.material == COLLECTION
    assert abs(group.latitude - north_of(LYON, 4)[0]) < 1e-6 and abs(group.radius_km - 4.0) < 1e-3


def test_one_member_needing_a_service_twice_is_not_a_shared_need():
    assert groups(need(material=COLLECTION, member=1), need(material=COLLECTION, member=1)) == ()


def test_one_members_two_needs_count_as_one_member_in_a_group():
    [group] = groups(
        need(material=COLLECTION, member=1), need(material=COLLECTION, member=1), need(material=COLLECTION, member=2)
    )
    assert group.member_ids == (1, 2) and len(group.need_ids) == 3


def test_different_service_codes_are_not_grouped_together():
    assert groups(need(material=COLLECTION), need(material="services.transport")) == ()


def test_materials_outside_shared_families_are_not_grouped():
    assert groups(need(material="wood"), need(material="wood")) == ()


def test_offers_are_never_part_of_a_shared_need():
    assert groups(need(material=COLLECTION), offer(material=COLLECTION)) == ()


def test_a_tighter_larger_group_scores_higher():
    wide = groups(*(need(material=COLLECTION, at=north_of(LYON, km)) for km in (0, 9)), road_factor=1.0)
    tight = groups(*(need(material=COLLECTION, at=north_of(LYON, km / 10)) for km in range(5)), road_factor=1.0)
    assert tight[0].score > wide[0].score
