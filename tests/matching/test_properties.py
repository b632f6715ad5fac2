"""The indexed engine against the naive reference, and incremental runs against full ones, on random data."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waste_flows.matching import EngineSettings, run
from waste_flows.matching.scope import reach

from . import reference
from .strategies import GRAPH, MATERIALS, channel_inputs, territories
from .streams import LYON, east_of, need, offer

EVERYTHING = {"top_k": 10**9, "min_score": 0.0}
examples = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def engine_pairs(result):
    return {(s.offer_id, s.need_id): (s.score, s.material_fit) for s in result.substitutions}


def reference_view(found):
    return {key: (score, fit) for key, (score, _distance, _coverage, fit) in found.items()}


@examples
@given(streams=territories(), cell=st.sampled_from([0.5, 3.0, 10.0, 200.0]), road=st.sampled_from([1.0, 1.3]))
def test_engine_finds_exactly_the_pairs_of_the_all_pairs_reference(streams, cell, road):
    engine_settings = EngineSettings(grid_cell_km=cell, road_factor=road, **EVERYTHING)
    result = run(streams=streams, graph=GRAPH, settings=engine_settings)
    assert engine_pairs(result) == reference_view(reference.all_pairs(streams, GRAPH.uses, engine_settings))


@examples
@given(streams=territories(), top_k=st.integers(1, 3), min_score=st.sampled_from([0.0, 0.3, 0.6]))
def test_engine_selection_equals_the_reference_top_k_of_either_side(streams, top_k, min_score):
    engine_settings = EngineSettings(top_k=top_k, min_score=min_score)
    result = run(streams=streams, graph=GRAPH, settings=engine_settings)
    assert engine_pairs(result) == reference_view(reference.selected_pairs(streams, GRAPH.uses, engine_settings))


def restricted(result, touched):
    candidates = {p.key: next(c.detail["ids"] for c in p.criteria if c.name == "candidates") for p in result.poolings}
    return (
        [s for s in result.substitutions if s.offer_id in touched or s.need_id in touched],
        [
            p
            for p in result.poolings
            if (p.target_kind == "need" and p.target_id in touched) or touched & set(candidates[p.key])
        ],
        [g for g in result.shared_needs if touched & set(g.need_ids)],
    )


@examples
@given(streams=territories(), channels=channel_inputs(), data=st.data(), top_k=st.integers(1, 3))
def test_incremental_run_equals_the_full_run_restricted_to_the_touched_streams(streams, channels, data, top_k):
    engine_settings = EngineSettings(top_k=top_k, min_score=0.1, shared_need_radius_km=20.0)
    ids = [s.id for s in streams] + [999]
    touched = frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=3)))
    full = run(streams=streams, channels=channels, graph=GRAPH, settings=engine_settings)
    part = run(streams=streams, channels=channels, graph=GRAPH, settings=engine_settings, only_stream_ids=touched)
    assert (list(part.substitutions), list(part.poolings), list(part.shared_needs)) == restricted(full, touched)


@settings(max_examples=30, deadline=None)
@given(streams=territories(), channels=channel_inputs())
def test_same_input_in_any_order_gives_the_same_output(streams, channels):
    first = run(streams=streams, channels=channels, graph=GRAPH)
    assert run(streams=list(reversed(streams)), channels=list(reversed(channels)), graph=GRAPH) == first


@examples
@given(streams=territories(), channels=channel_inputs(), data=st.data(), top_k=st.integers(1, 3))
def test_incremental_run_on_the_streams_its_reach_admits_equals_the_full_run_restricted(
    streams, channels, data, top_k
):
    """What a database loads for an incremental run (scope.reach) is enough: same results as the full run."""
    engine_settings = EngineSettings(top_k=top_k, min_score=0.1, shared_need_radius_km=20.0)
    touched = frozenset(data.draw(st.lists(st.sampled_from([s.id for s in streams] + [999]), max_size=3)))
    anchors = [stream for stream in streams if stream.id in touched]
    every_key = [(dimension, material) for dimension in ("mass", "volume") for material in MATERIALS]
    scope = reach(anchors, every_key, channels, GRAPH, engine_settings)
    keys = {"offer": scope.offer_keys, "need": scope.need_keys}
    keyed = [s for s in streams if (s.dimension, s.material) in keys[s.direction]]
    largest = max([engine_settings.default_max_distance_km] + [s.max_distance_km or 0.0 for s in keyed])
    scope = scope.around(anchors, largest, engine_settings)
    loaded = [stream for stream in streams if scope.admits(stream)]
    full = run(streams=streams, channels=channels, graph=GRAPH, settings=engine_settings)
    part = run(streams=loaded, channels=channels, graph=GRAPH, settings=engine_settings, only_stream_ids=touched)
    assert (list(part.substitutions), list(part.poolings), list(part.shared_needs)) == restricted(full, touched)


def test_the_reach_of_one_offer_leaves_out_other_materials_and_distant_streams():
    engine_settings = EngineSettings()
    touched = offer(material="wood.pallets")
    near_fuel, far_fuel = need(material="wood.fuel"), need(material="wood.fuel", at=east_of(LYON, 300))
    unrelated = need(material="services.waste_collection")
    every_key = [("mass", material) for material in MATERIALS]
    scope = reach([touched], every_key, (), GRAPH, engine_settings).around([touched], 50.0, engine_settings)
    admitted = {s.id for s in (touched, near_fuel, far_fuel, unrelated) if scope.admits(s)}
    assert admitted == {touched.id, near_fuel.id}
