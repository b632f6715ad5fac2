"""Runs upsert the engine's results by key and never lose what people decided."""

from decimal import Decimal
from unittest import mock

import pytest

from waste_flows import match_services
from waste_flows.enums import Direction, MatchStatus, RunScope, RunStatus, RunTrigger
from waste_flows.matches import Match, MatchNote, MatchRun
from waste_flows.matching.types import Criterion, EngineResult, Substitution

from ..members.factories import MemberFactory, SiteFactory
from .factories import StreamFactory, material


@pytest.fixture
def offer_and_need(db):
    offer = StreamFactory(site=SiteFactory(member=MemberFactory()), quantity=Decimal("40"))
    need = StreamFactory(
        site=SiteFactory(member=MemberFactory(), commune="Fameck"),
        direction=Direction.NEED,
        material=material("wood.fuel"),
        quantity=Decimal("100"),
    )
    return offer, need


def _result(offer, need, score=0.8) -> EngineResult:
    substitution = Substitution(
        offer_id=offer.pk,
        need_id=need.pk,
        score=score,
        distance_km=12.5,
        coverage=0.4,
        material_fit="use",
        criteria=(Criterion(name="distance", passed=True, score=0.6, detail={"km": 12.5, "limit_km": 50}),),
    )
    return EngineResult(substitutions=(substitution,), poolings=(), shared_needs=(), candidate_pairs=1)


def _run(result, scope=RunScope.FULL, stream_id=None) -> MatchRun:
    run = match_services.match_run_create(scope=scope, trigger=RunTrigger.COMMAND, stream_id=stream_id)
    with mock.patch.object(match_services.matching, "run", return_value=result, create=True):
        return match_services.match_run_execute(run_id=run.pk)


def test_a_run_creates_a_match_with_its_parties_figures_and_impact(offer_and_need):
    offer, need = offer_and_need

    run = _run(_result(offer, need))

    match = Match.objects.get()
    assert run.status == RunStatus.SUCCEEDED and run.matches_created == 1 and run.progress == 100
    assert (match.offer, match.need, match.status) == (offer, need, MatchStatus.SUGGESTED)
    assert match.tonnes_per_year == 40.0
    assert set(match.participants.values_list("member_id", flat=True)) == {offer.site.member_id, need.site.member_id}
    assert match.explanation[0]["detail"]["km"] == 12.5


def test_a_rerun_updates_scores_without_duplicating_nor_touching_status_and_notes(offer_and_need, coordinator):
    offer, need = offer_and_need
    _run(_result(offer, need, score=0.8))
    match = Match.objects.get()
    match.status = MatchStatus.INTRODUCED
    match.save()
    MatchNote.objects.create(match=match, author=coordinator, text="Appel prévu mardi")

    run = _run(_result(offer, need, score=0.65))

    match.refresh_from_db()
    assert Match.objects.count() == 1
    assert run.matches_updated == 1 and run.matches_created == 0
    assert match.score == 0.65
    assert match.status == MatchStatus.INTRODUCED
    assert match.notes.get().text == "Appel prévu mardi"


def test_a_match_no_longer_found_becomes_obsolete_not_deleted(offer_and_need):
    offer, need = offer_and_need
    _run(_result(offer, need))

    run = _run(EngineResult(substitutions=(), poolings=(), shared_needs=(), candidate_pairs=0))

    assert run.matches_obsoleted == 1
    assert Match.objects.get().status == MatchStatus.OBSOLETE


def test_closed_matches_stay_as_people_left_them(offer_and_need):
    offer, need = offer_and_need
    _run(_result(offer, need))
    Match.objects.update(status=MatchStatus.IMPLEMENTED)

    _run(EngineResult(substitutions=(), poolings=(), shared_needs=(), candidate_pairs=0))

    assert Match.objects.get().status == MatchStatus.IMPLEMENTED


def test_an_incremental_run_only_obsoletes_matches_of_its_stream(offer_and_need):
    offer, need = offer_and_need
    other_offer = StreamFactory(site=SiteFactory(member=MemberFactory()))
    _run(EngineResult(
        substitutions=_result(offer, need).substitutions + _result(other_offer, need).substitutions,
        poolings=(), shared_needs=(), candidate_pairs=2,
    ))  # fmt: skip

    _run(EngineResult(substitutions=(), poolings=(), shared_needs=(), candidate_pairs=0),
         scope=RunScope.INCREMENTAL, stream_id=other_offer.pk)  # fmt: skip

    statuses = dict(Match.objects.values_list("offer_id", "status"))
    assert statuses == {offer.pk: MatchStatus.SUGGESTED, other_offer.pk: MatchStatus.OBSOLETE}


def test_a_failing_run_is_marked_failed_and_leaves_previous_results_intact(offer_and_need):
    offer, need = offer_and_need
    _run(_result(offer, need, score=0.8))
    run = match_services.match_run_create(scope=RunScope.FULL, trigger=RunTrigger.COMMAND)

    with (
        mock.patch.object(match_services.matching, "run", side_effect=MemoryError("out of memory"), create=True),
        pytest.raises(MemoryError),
    ):
        match_services.match_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "out of memory" in run.error
    assert Match.objects.get().score == 0.8


def test_a_run_found_running_was_interrupted_and_is_marked_failed(db):
    run = MatchRun.objects.create(scope=RunScope.FULL, trigger=RunTrigger.SCHEDULE, status=RunStatus.RUNNING)

    match_services.match_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "interrupted" in run.error


def test_only_the_coordinator_starts_a_run(member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        match_services.match_run_start(actor=member)


def test_declaring_a_stream_rescores_what_it_touches_after_commit(
    member, member_org, django_capture_on_commit_callbacks
):
    from waste_flows.services import stream_declare

    from .factories import unit

    with django_capture_on_commit_callbacks(execute=True):
        stream = stream_declare(
            actor=member, site=member_org.sites.get(), direction=Direction.OFFER, kind="waste",
            material=material("wood.pallets"), quantity=Decimal("20"), unit=unit("t"), period="year",
        )  # fmt: skip

    run = MatchRun.objects.get()
    assert (run.scope, run.trigger, run.stream_id, run.status) == (
        RunScope.INCREMENTAL, RunTrigger.STREAM_CHANGE, stream.pk, RunStatus.SUCCEEDED,
    )  # fmt: skip


def test_a_bulk_change_enqueues_one_full_run_instead_of_one_per_stream(
    member, member_org, django_capture_on_commit_callbacks
):
    from waste_flows.services import rescoring_batched, stream_declare

    from .factories import unit

    with django_capture_on_commit_callbacks(execute=True), rescoring_batched():
        for quantity in (5, 6, 7):
            stream_declare(
                actor=member, site=member_org.sites.get(), direction=Direction.OFFER, kind="waste",
                material=material("wood.pallets"), quantity=Decimal(quantity), unit=unit("t"), period="year",
                description=f"lot {quantity}",
            )  # fmt: skip

    assert list(MatchRun.objects.values_list("scope", "trigger")) == [(RunScope.FULL, RunTrigger.SCHEDULE)]


def test_run_matching_command_prints_a_summary(db, capsys):
    from django.core.management import call_command

    call_command("run_matching", "--full")

    assert "done:" in capsys.readouterr().out
    assert MatchRun.objects.get().status == RunStatus.SUCCEEDED
