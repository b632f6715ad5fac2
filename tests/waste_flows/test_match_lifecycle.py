"""The people-side life of a match (waste_flows.match_lifecycle): transitions, answers, notes,
notifications and history."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from members.enums import MemberRole
from waste_flows.enums import Direction, MatchStatus, ParticipantAnswer
from waste_flows.match_lifecycle import TRANSITIONS, match_answer, match_note_add, match_transition

from ..members.factories import UserFactory
from .factories import StreamFactory
from .match_factories import MatchFactory


@pytest.fixture
def match(member_org, other_member_org):
    offer = StreamFactory(site=member_org.sites.get())
    need = StreamFactory(site=other_member_org.sites.get(), direction=Direction.NEED)
    return MatchFactory(offer=offer, need=need)


def _at(match, status):
    match.status = status
    match.save()
    return match


@pytest.mark.parametrize("current,target", [(c, t) for c, targets in TRANSITIONS.items() for t in targets])
def test_every_listed_transition_is_allowed(coordinator, match, current, target):
    _at(match, current)
    match_transition(actor=coordinator, match=match, status=target, reason="other")
    match.refresh_from_db()
    assert match.status == target


@pytest.mark.parametrize(
    "current,target",
    [
        (MatchStatus.SUGGESTED, MatchStatus.INTRODUCED),
        (MatchStatus.SUGGESTED, MatchStatus.IMPLEMENTED),
        (MatchStatus.REVIEWED, MatchStatus.IN_DISCUSSION),
        (MatchStatus.IMPLEMENTED, MatchStatus.REJECTED),
        (MatchStatus.OBSOLETE, MatchStatus.REVIEWED),
    ],
)
def test_skipping_steps_or_reopening_closed_matches_is_refused(coordinator, match, current, target):
    _at(match, current)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        match_transition(actor=coordinator, match=match, status=target)


def test_a_rejection_needs_a_reason(coordinator, match):
    with pytest.raises(ValidationError) as refusal:
        match_transition(actor=coordinator, match=match, status=MatchStatus.REJECTED)
    assert "rejection_reason" in refusal.value.error_dict
    match_transition(actor=coordinator, match=match, status=MatchStatus.REJECTED, reason="cost", note="trop cher")
    match.refresh_from_db()
    assert (match.rejection_reason, match.rejection_note) == ("cost", "trop cher")


def test_only_the_coordinator_moves_a_match(member, partner, match):
    for user in (member, partner):
        with pytest.raises(PermissionDenied):
            match_transition(actor=user, match=match, status=MatchStatus.REVIEWED)


def test_implementing_records_the_actual_tonnes(coordinator, match):
    _at(match, MatchStatus.IN_DISCUSSION)
    match_transition(actor=coordinator, match=match, status=MatchStatus.IMPLEMENTED, actual_tonnes_per_year=7.5)
    match.refresh_from_db()
    assert match.actual_tonnes_per_year == 7.5


def test_introduction_emails_admins_and_editors_of_participants(
    coordinator, member, member_viewer, other_member, member_org, match, django_capture_on_commit_callbacks
):
    UserFactory(email="editeur@recyclerie.test", member=member_org, member_role=MemberRole.EDITOR)
    UserFactory(email="parti@recyclerie.test", member=member_org, member_role=MemberRole.ADMIN, is_active=False)
    _at(match, MatchStatus.REVIEWED)
    with django_capture_on_commit_callbacks(execute=True):
        match_transition(actor=coordinator, match=match, status=MatchStatus.INTRODUCED)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["admin@acierie.test", "admin@recyclerie.test", "editeur@recyclerie.test"]
    assert "/matches/mine/" in mail.outbox[0].body


def test_no_email_before_the_introduction(coordinator, member, match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        match_transition(actor=coordinator, match=match, status=MatchStatus.REVIEWED)
    assert mail.outbox == []


def test_the_match_goes_to_discussion_when_every_member_accepts(member, other_member, match):
    _at(match, MatchStatus.INTRODUCED)
    match_answer(actor=member, match=match, interested=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.INTRODUCED
    match_answer(actor=other_member, match=match, interested=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.IN_DISCUSSION
    participant = match.participants.get(member=member.member)
    assert participant.answered_by == member and participant.answered_at is not None


def test_a_decline_keeps_the_match_introduced(member, other_member, match):
    _at(match, MatchStatus.INTRODUCED)
    match_answer(actor=member, match=match, interested=True)
    match_answer(actor=other_member, match=match, interested=False)
    match.refresh_from_db()
    assert match.status == MatchStatus.INTRODUCED
    assert match.participants.get(member=other_member.member).answer == ParticipantAnswer.DECLINED


def test_answers_are_refused_before_introduction_and_to_viewers_and_outsiders(
    member, member_viewer, coordinator, match
):
    with pytest.raises(ValidationError):
        match_answer(actor=member, match=match, interested=True)
    _at(match, MatchStatus.INTRODUCED)
    for user in (member_viewer, coordinator):
        with pytest.raises(PermissionDenied):
            match_answer(actor=user, match=match, interested=True)


def test_notes_by_coordinator_anytime_and_by_participants_once_revealed(coordinator, member, partner, match):
    assert match_note_add(actor=coordinator, match=match, text=" à suivre ").text == "à suivre"
    with pytest.raises(PermissionDenied):
        match_note_add(actor=member, match=match, text="trop tôt")
    _at(match, MatchStatus.INTRODUCED)
    assert match_note_add(actor=member, match=match, text="ok").author == member
    with pytest.raises(PermissionDenied):
        match_note_add(actor=partner, match=match, text="intrus")
    with pytest.raises(ValidationError):
        match_note_add(actor=coordinator, match=match, text="   ")


def test_history_records_who_changed_the_status(coordinator, member, other_member, match):
    match_transition(actor=coordinator, match=match, status=MatchStatus.REVIEWED)
    match_transition(actor=coordinator, match=match, status=MatchStatus.INTRODUCED)
    match_answer(actor=member, match=match, interested=True)
    match_answer(actor=other_member, match=match, interested=True)
    records = list(match.history.order_by("history_date", "history_id").values_list("status", "history_user"))
    statuses = [status for status, _ in records]
    assert statuses[-3:] == ["reviewed", "introduced", "in_discussion"]
    assert records[-2][1] == coordinator.pk and records[-1][1] == other_member.pk
