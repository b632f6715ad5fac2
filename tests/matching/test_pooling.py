import pytest

from waste_flows.matching import ChannelInput, EngineSettings, run

from .streams import LYON, need, north_of, offer

FLAT = EngineSettings(road_factor=1.0)


def boiler(**fields):
    defaults = {"id": 1, "name": "Chaufferie collective", "materials": ("wood",), "min_annual_quantity": 1000.0}
    return ChannelInput(**(defaults | fields))


def channel_pools(streams, channel, settings=FLAT):
    return [
        p for p in run(streams=streams, channels=[channel], settings=settings).poolings if p.target_kind == "channel"
    ]


def test_three_small_pallet_offers_reach_a_channel_threshold_none_reaches_alone():
    offers = [offer(material="wood.pallets", quantity=q, at=north_of(LYON, i)) for i, q in enumerate([300, 400, 350])]
    [pool] = channel_pools(offers, boiler(latitude=LYON[0], longitude=LYON[1]))
    assert pool.contributor_ids == (offers[1].id, offers[2].id, offers[0].id)
    assert (pool.total, pool.threshold, pool.share, pool.gap, pool.near_miss) == (1050, 1000, 1.05, 0.0, False)


def test_a_pool_at_exactly_the_threshold_is_reached():
    [pool] = channel_pools([offer(quantity=600), offer(quantity=400)], boiler())
    assert pool.near_miss is False and pool.gap == 0.0


def test_a_pool_at_sixty_percent_is_a_near_miss_with_its_gap():
    [pool] = channel_pools([offer(quantity=400), offer(quantity=250)], boiler())
    assert (pool.near_miss, pool.share, pool.gap) == (True, 0.65, 350.0)
    assert next(c for c in pool.criteria if c.name == "threshold").passed is False


def test_a_pool_below_the_near_miss_share_is_not_reported():
    assert channel_pools([offer(quantity=300), offer(quantity=250)], boiler()) == []


def test_offers_of_other_materials_do_not_count_towards_a_channel():
    assert channel_pools([offer(quantity=900, material="plastics.pet"), offer(quantity=200)], boiler()) == []


def test_hub_is_the_contributor_site_with_the_fewest_tonne_kilometres():
    heavy = offer(quantity=10_000, at=LYON)  # 10 t
    light = [offer(quantity=1_000, at=north_of(LYON, km)) for km in (10, 20)]  # 1 t each
    [pool] = channel_pools([heavy, *light], boiler(min_annual_quantity=12_000))
    # At the heavy site: 1 t × 10 km + 1 t × 20 km = 30 t·km (at the 10 km site: 100 + 10 = 110; at 20 km: 210).
    assert pool.hub_site_id == heavy.site_id
    assert pool.tonne_km == pytest.approx(30.0, abs=1e-3)


def test_a_located_channel_can_itself_be_the_hub():
    offers = [offer(quantity=600, at=north_of(LYON, 5)), offer(quantity=600, at=north_of(LYON, -5))]
    [pool] = channel_pools(offers, boiler(latitude=LYON[0], longitude=LYON[1]))
    assert pool.hub_site_id is None and pool.tonne_km == pytest.approx(6.0, abs=1e-3)


def test_a_located_channel_takes_only_offers_within_its_radius():
    inside, outside = offer(quantity=600, at=north_of(LYON, 25)), offer(quantity=600, at=north_of(LYON, 35))
    located = boiler(latitude=LYON[0], longitude=LYON[1], radius_km=30)
    assert channel_pools([inside, outside], located)[0].contributor_ids == (inside.id,)
    assert channel_pools([inside, outside], boiler())[0].contributor_ids == (inside.id, outside.id)


def test_contributors_are_chosen_largest_first_without_passing_the_channel_maximum():
    offers = [offer(quantity=q) for q in (700, 500, 300)]
    [pool] = channel_pools(offers, boiler(max_annual_quantity=1000))
    assert pool.contributor_ids == (offers[0].id, offers[2].id) and pool.total == 1000


def need_pools(streams, settings=FLAT):
    return [p for p in run(streams=streams, settings=settings).poolings if p.target_kind == "need"]


def test_a_need_no_single_offer_covers_is_covered_by_a_pool():
    target = need(quantity=1000)
    offers = [offer(quantity=600, at=north_of(LYON, 3)), offer(quantity=500, at=north_of(LYON, 6))]
    [pool] = need_pools([target, *offers])
    assert (pool.target_id, pool.contributor_ids, pool.total, pool.near_miss) == (
        target.id,
        (offers[0].id, offers[1].id),
        1100,
        False,
    )
    # Hub candidates: the need's site (0.6 × 3 + 0.5 × 6 = 4.8 t·km), the 3 km site (0.5 × 3 = 1.5), the 6 km one (1.8).
    assert pool.hub_site_id == offers[0].site_id
    assert pool.tonne_km == pytest.approx(1.5, abs=1e-3)


def test_no_need_pool_when_one_offer_covers_the_need_exactly():
    assert need_pools([need(quantity=1000), offer(quantity=1000), offer(quantity=500)]) == []


def test_need_pool_selection_stops_once_the_need_is_covered():
    target = need(quantity=1000)
    offers = [offer(quantity=q) for q in (600, 400, 300)]
    [pool] = need_pools([target, *offers])
    assert pool.contributor_ids == (offers[0].id, offers[1].id) and pool.gap == 0.0


def test_need_pool_ignores_offers_beyond_the_pooling_radius():
    target = need(quantity=1000, max_distance_km=100)
    near, far = (
        offer(quantity=600, max_distance_km=100),
        offer(quantity=500, at=north_of(LYON, 35), max_distance_km=100),
    )
    assert need_pools([target, near, far]) == []
    assert need_pools([target, near, far], EngineSettings(road_factor=1.0, pooling_radius_km=40))


def test_need_pool_near_miss_reports_the_gap():
    [pool] = need_pools([need(quantity=1000), offer(quantity=400), offer(quantity=300)])
    assert (pool.near_miss, pool.gap, pool.share) == (True, 300.0, 0.7)
