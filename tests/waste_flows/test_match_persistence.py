"""Writing a run's results in bulk (waste_flows.match_persistence): what each kind owns, history, links, and
incremental runs that load only the streams within reach and agree with full runs. Runs on SQLite and
PostgreSQL (where the staging tables are filled with COPY)."""

import random
from decimal import Decimal
from unittest import mock

import pytest

from bench.synthetic import territory
from members.models import Site
from members.stats_version import stats_version
from waste_flows import match_persistence, match_persistence_sql, match_services
from waste_flows.enums import MatchKind, MatchStatus, ParticipantAnswer, RunScope, RunStatus, RunTrigger, StreamStatus
from waste_flows.matches import Match, MatchParticipant, MatchRun
from waste_flows.matching.types import Criterion, EngineResult, Pooling, SharedNeed, Substitution
from waste_flows.models import EwcCode, Material, Stream, Unit
from waste_flows.reference import BASE_UNITS

from ..members.factories import MemberFactory, SiteFactory
from .factories import StreamFactory, material

NOTHING = EngineResult(substitutions=(), poolings=(), shared_needs=(), candidate_pairs=0)
CRITERIA = (Criterion("distance", True, 0.61234, {"km": 12.5}), Criterion("route_gain", True, 1.0, {"route": "x"}))


@pytest.fixture
def parties(db):
    offer = StreamFactory(site=SiteFactory(member=MemberFactory()), quantity=Decimal("40"))
    other_offer = StreamFactory(site=SiteFactory(member=MemberFactory()), quantity=Decimal("30"))
    need = StreamFactory(
        site=SiteFactory(member=MemberFactory(), commune="Fameck"),
        direction="need",
        material=material("wood.fuel"),
        quantity=Decimal("100"),
    )
    return offer, other_offer, need


def substitution(offer, need, score=0.8) -> Substitution:
    return Substitution(offer.pk, need.pk, score, 12.5, 0.4, "use", CRITERIA)


def pooling(offers, need, score=0.7) -> Pooling:
    return Pooling(
        target_kind="need", target_id=need.pk, material="wood.fuel", contributor_ids=tuple(o.pk for o in offers),
        total=70_000.0, threshold=100_000.0, share=0.7, gap=30_000.0, hub_site_id=offers[0].site_id, tonne_km=3.5,
        near_miss=True, score=score, criteria=CRITERIA,
    )  # fmt: skip


def result(*, substitutions=(), poolings=(), shared_needs=()) -> EngineResult:
    return EngineResult(tuple(substitutions), tuple(poolings), tuple(shared_needs), candidate_pairs=0)


def execute(engine_result, scope=RunScope.FULL, stream_id=None) -> MatchRun:
    run = match_services.match_run_create(scope=scope, trigger=RunTrigger.COMMAND, stream_id=stream_id)
    with mock.patch.object(match_services.matching, "run", return_value=engine_result):
        return match_services.match_run_execute(run_id=run.pk)


def test_every_kind_of_result_is_written_with_the_figures_it_owns(parties):
    offer, other_offer, need = parties
    group = SharedNeed("wood.fuel", (need.pk,), (need.site.member_id,), 49.3, 6.06, 1.5, 100_000.0, 0.5, CRITERIA)

    run = execute(result(substitutions=[substitution(offer, need)], poolings=[pooling([offer, other_offer], need)],
                         shared_needs=[group]))  # fmt: skip

    assert run.matches_created == 3
    by_kind = {match.kind: match for match in Match.objects.all()}
    pool = by_kind[MatchKind.POOLING]
    assert (pool.need_id, pool.threshold, pool.near_miss, pool.hub_site_id) == (
        need.pk,
        100_000.0,
        True,
        offer.site_id,
    )
    assert set(pool.streams.values_list("pk", flat=True)) == {offer.pk, other_offer.pk, need.pk}
    assert pool.participants.count() == 3
    shared = by_kind[MatchKind.SHARED_NEED]
    assert (shared.offer_id, shared.total_quantity, shared.tonnes_per_year) == (None, 100_000.0, 0)
    assert by_kind[MatchKind.SUBSTITUTION].explanation == [
        {"name": "distance", "passed": True, "score": 0.612, "detail": {"km": 12.5}},
        {"name": "route_gain", "passed": True, "score": 1.0, "detail": {"route": "x"}},
    ]
    assert list(Match.objects.order_by("pk").values_list("kind", flat=True)) == [
        MatchKind.SUBSTITUTION, MatchKind.POOLING, MatchKind.SHARED_NEED,
    ]  # fmt: skip


def test_a_rerun_refreshes_only_what_the_kind_owns_and_writes_no_history(parties):
    offer, _, need = parties
    first = execute(result(substitutions=[substitution(offer, need, score=0.8)]))
    Match.objects.update(threshold=5.0)  # not a substitution's figure: a run leaves it alone
    records = Match.history.count()

    run = execute(result(substitutions=[substitution(offer, need, score=0.65)]))

    match = Match.objects.get()
    assert (run.matches_updated, match.score, match.threshold, match.last_run_id) == (1, 0.65, 5.0, run.pk)
    assert match.first_run_id == first.pk
    assert Match.history.count() == records


def test_a_rerun_that_finds_the_same_figures_changes_nothing(parties):
    offer, _, need = parties
    first = execute(result(substitutions=[substitution(offer, need)]))

    run = execute(result(substitutions=[substitution(offer, need)]))

    assert (run.matches_created, run.matches_updated, run.matches_obsoleted) == (0, 0, 0)
    assert Match.objects.get().last_run_id == first.pk


def test_an_obsolete_match_is_recorded_in_history_and_suggested_again_when_found(parties, coordinator):
    offer, _, need = parties
    execute(result(substitutions=[substitution(offer, need)]))

    run = execute(NOTHING)

    match = Match.objects.get()
    record = match.history.latest("history_id")
    assert (run.matches_obsoleted, match.status) == (1, MatchStatus.OBSOLETE)
    assert (record.status, record.history_type, record.history_user_id) == (MatchStatus.OBSOLETE, "~", None)
    assert (record.score, record.offer_id, record.key) == (match.score, offer.pk, match.key)
    again = execute(result(substitutions=[substitution(offer, need)]))
    match.refresh_from_db()
    assert (again.matches_updated, match.status) == (1, MatchStatus.SUGGESTED)


def test_rejected_and_implemented_matches_stay_closed_without_history(parties):
    offer, other_offer, need = parties
    execute(result(substitutions=[substitution(offer, need), substitution(other_offer, need)]))
    Match.objects.filter(offer=offer).update(status=MatchStatus.REJECTED)
    Match.objects.filter(offer=other_offer).update(status=MatchStatus.IMPLEMENTED)
    records = Match.history.count()

    run = execute(NOTHING)

    assert run.matches_obsoleted == 0
    assert set(Match.objects.values_list("status", flat=True)) == {MatchStatus.REJECTED, MatchStatus.IMPLEMENTED}
    assert Match.history.count() == records


def test_answers_stay_and_missing_links_and_participants_come_back(parties, coordinator):
    offer, _, need = parties
    execute(result(substitutions=[substitution(offer, need)]))
    match = Match.objects.get()
    match.participants.filter(member_id=offer.site.member_id).update(answer=ParticipantAnswer.ACCEPTED)
    match.participants.filter(member_id=need.site.member_id).delete()
    match.streams.remove(need)

    execute(result(substitutions=[substitution(offer, need, score=0.7)]))

    answers = dict(MatchParticipant.objects.values_list("member_id", "answer"))
    assert answers == {
        offer.site.member_id: ParticipantAnswer.ACCEPTED,
        need.site.member_id: ParticipantAnswer.PENDING,
    }
    assert set(match.streams.values_list("pk", flat=True)) == {offer.pk, need.pk}


def test_a_failure_while_writing_leaves_every_previous_result_as_it_was(parties):
    offer, other_offer, need = parties
    execute(result(substitutions=[substitution(offer, need, score=0.8)]))
    failing = mock.patch.object(
        match_persistence_sql.Staging, "link_streams_and_members", side_effect=RuntimeError("disk full")
    )

    with failing, pytest.raises(RuntimeError):
        execute(result(substitutions=[substitution(offer, need, score=0.5), substitution(other_offer, need)]))

    assert list(Match.objects.values_list("offer_id", "score", "status")) == [(offer.pk, 0.8, MatchStatus.SUGGESTED)]
    assert MatchRun.objects.latest("pk").status == RunStatus.FAILED
    execute(NOTHING)  # the staging tables went with the failed transaction: the next run works
    assert Match.objects.get().status == MatchStatus.OBSOLETE


def test_a_failure_while_writing_new_matches_leaves_nothing_of_them(parties):
    offer, other_offer, need = parties
    execute(result(substitutions=[substitution(offer, need, score=0.8)]))
    failing = mock.patch.object(match_persistence_sql, "_write_pairs", side_effect=RuntimeError("disk full"))

    with failing, pytest.raises(RuntimeError):
        execute(result(substitutions=[substitution(offer, need, score=0.5), substitution(other_offer, need)]))

    assert list(Match.objects.values_list("offer_id", "score")) == [(offer.pk, 0.8)]
    assert MatchParticipant.objects.count() == 2


def test_new_matches_found_next_to_known_ones_get_new_ids_in_the_engine_order_with_their_parties(parties):
    offer, other_offer, need = parties
    execute(result(substitutions=[substitution(offer, need)]))
    known = Match.objects.get()
    Match.objects.filter(pk=known.pk).delete()
    execute(result(substitutions=[substitution(offer, need)]))  # the same key again, after a deleted row
    kept = Match.objects.get()

    run = execute(result(substitutions=[substitution(other_offer, need), substitution(offer, need, score=0.6)],
                         poolings=[pooling([offer, other_offer], need)]))  # fmt: skip

    assert (run.matches_created, run.matches_updated, run.matches_obsoleted) == (2, 1, 0)
    new = list(Match.objects.exclude(pk=kept.pk).order_by("pk"))
    assert kept.pk > known.pk and all(match.pk > kept.pk for match in new)
    assert [(match.kind, match.first_run_id, match.status) for match in new] == [
        (MatchKind.SUBSTITUTION, run.pk, MatchStatus.SUGGESTED), (MatchKind.POOLING, run.pk, MatchStatus.SUGGESTED),
    ]  # fmt: skip
    assert set(new[0].streams.values_list("pk", flat=True)) == {other_offer.pk, need.pk}
    assert set(new[1].participants.values_list("answer", flat=True)) == {ParticipantAnswer.PENDING}
    assert new[1].participants.count() == 3
    assert Match.history.filter(id__in=[match.pk for match in new]).count() == 0


def test_a_run_that_writes_tells_the_dashboards_cache_and_one_that_changes_nothing_does_not(parties):
    offer, _, need = parties
    found = result(substitutions=[substitution(offer, need)])

    def version_around_a_run() -> tuple[str, str]:
        # Read once the run exists: creating it is an ordinary save, which the cache hears of by itself.
        run = match_services.match_run_create(scope=RunScope.FULL, trigger=RunTrigger.COMMAND)
        before = stats_version()
        with mock.patch.object(match_services.matching, "run", return_value=found):
            match_services.match_run_execute(run_id=run.pk)
        return before, stats_version()

    before_first, after_first = version_around_a_run()
    before_second, after_second = version_around_a_run()

    assert before_first != after_first
    assert before_second == after_second


def test_each_kind_of_row_carries_exactly_the_fields_that_kind_owns(parties):
    offer, other_offer, need = parties
    group = SharedNeed("wood.fuel", (need.pk,), (need.site.member_id,), 49.3, 6.06, 1.5, 10.0, 0.5, CRITERIA)
    engine_result = result(substitutions=[substitution(offer, need)], poolings=[pooling([offer, other_offer], need)],
                           shared_needs=[group])  # fmt: skip
    streams = {stream.id: stream for stream in match_services.engine_streams()}

    rows = list(match_persistence.found_matches(engine_result, streams, factors={}))

    assert {row.kind: tuple(row.fields) for row in rows} == match_persistence.OWNED_FIELDS


# --- Against the real engine, on a synthetic territory --------------------------------------------------


def insert_territory(size: int, seed: int) -> list[int]:
    """The benchmark's seeded territory (bench/synthetic.py), one pole, written with bulk inserts."""
    inputs, _graph = territory(size, seed=seed, poles=1)
    members = {n: MemberFactory() for n in sorted({s.member_id for s in inputs})}
    sites = {}
    for s in inputs:
        if s.site_id not in sites:
            sites[s.site_id] = Site.objects.create(member=members[s.member_id], name=f"Site {s.site_id}",
                                                   commune="Test", latitude=round(Decimal(s.latitude), 6),
                                                   longitude=round(Decimal(s.longitude), 6))  # fmt: skip
    materials = {m.code: m for m in Material.objects.all()}
    units = {unit.code: unit for unit in Unit.objects.all()}
    hazardous = EwcCode.objects.filter(hazardous=True).first()
    streams = Stream.objects.bulk_create([
        Stream(site=sites[s.site_id], direction=s.direction, kind=s.kind, material=materials[s.material],
               ewc_code=hazardous if s.hazardous else None, quantity=Decimal(str(s.annual_quantity)),
               unit=units[BASE_UNITS.get(s.dimension, "kg")], annual_quantity=Decimal(str(s.annual_quantity)),
               months=list(s.months), current_route=s.current_route, max_distance_km=s.max_distance_km,
               accepts_hazardous=s.accepts_hazardous)
        for s in inputs
    ])  # fmt: skip
    return [stream.pk for stream in streams]


def run_for_real(scope=RunScope.FULL, stream_id=None) -> MatchRun:
    run = match_services.match_run_create(scope=scope, trigger=RunTrigger.COMMAND, stream_id=stream_id)
    return match_services.match_run_execute(run_id=run.pk)


def figures_of_matches_touching(stream_id: int) -> dict:
    matches = Match.objects.filter(streams=stream_id).exclude(status=MatchStatus.OBSOLETE)
    return {m.key: (m.score, m.status, m.total_quantity, m.explanation) for m in matches}


def test_an_incremental_run_right_after_a_full_run_finds_exactly_the_same_matches(db):
    stream_ids = insert_territory(250, seed=3)
    full = run_for_real()
    assert full.matches_created > 100

    for stream_id in random.Random(5).sample(stream_ids, 8):
        run = run_for_real(RunScope.INCREMENTAL, stream_id)
        assert (run.matches_created, run.matches_updated, run.matches_obsoleted) == (0, 0, 0), stream_id
        assert run.streams_loaded < len(stream_ids)


def test_after_a_change_an_incremental_run_writes_what_a_full_run_would_for_that_stream(db):
    stream_ids = insert_territory(250, seed=4)
    run_for_real()
    rng = random.Random(6)
    for stream_id in rng.sample(stream_ids, 4):
        stream = Stream.objects.get(pk=stream_id)
        stream.annual_quantity *= Decimal(rng.choice(["0.2", "3", "40"]))
        stream.save()

        run_for_real(RunScope.INCREMENTAL, stream_id)
        after_incremental = figures_of_matches_touching(stream_id)
        run_for_real()

        assert figures_of_matches_touching(stream_id) == after_incremental


def test_an_incremental_run_loads_only_streams_of_related_materials_nearby(db):
    offer = StreamFactory(site=SiteFactory(latitude=Decimal("49.33"), longitude=Decimal("6.06")))
    fuel_nearby = StreamFactory(direction="need", material=material("wood.fuel"),
                                site=SiteFactory(latitude=Decimal("49.35"), longitude=Decimal("6.10")))  # fmt: skip
    StreamFactory(direction="need", material=material("wood.fuel"),
                  site=SiteFactory(latitude=Decimal("43.30"), longitude=Decimal("5.37")))  # fmt: skip
    StreamFactory(direction="need", material=material("glass.cullet"), site=offer.site)

    loaded = match_services.engine_streams_within_reach(frozenset({offer.pk}), [], match_services.engine_graph())

    assert {stream.id for stream in loaded} == {offer.pk, fuel_nearby.pk}


def test_an_incremental_run_of_a_stream_no_longer_active_loads_nothing_and_obsoletes_its_matches(parties):
    offer, _, need = parties
    execute(result(substitutions=[substitution(offer, need)]))
    Stream.objects.filter(pk=offer.pk).update(status=StreamStatus.ARCHIVED)

    run = run_for_real(RunScope.INCREMENTAL, offer.pk)

    assert (run.streams_loaded, run.matches_obsoleted) == (0, 1)


def test_an_incremental_run_makes_a_bounded_number_of_queries(db, django_assert_max_num_queries):
    stream_ids = insert_territory(120, seed=8)
    run_for_real()

    with django_assert_max_num_queries(40):
        run_for_real(RunScope.INCREMENTAL, stream_ids[7])
