"""What people do with a match: review, introduce, answer, discuss, implement or reject, and notes.

suggested → reviewed → introduced → in discussion → implemented; any open match can be rejected with a
reason. Only the coordinator moves a match along; members answer an introduction (interested or not),
and when every member concerned is interested the match goes to "in discussion" by itself.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.enums import MemberRole
from members.models import User
from members.tasks import send_email

from .enums import MatchStatus, ParticipantAnswer
from .matches import Match, MatchNote

TRANSITIONS = {
    MatchStatus.SUGGESTED: {MatchStatus.REVIEWED, MatchStatus.REJECTED},
    MatchStatus.REVIEWED: {MatchStatus.INTRODUCED, MatchStatus.REJECTED},
    MatchStatus.INTRODUCED: {MatchStatus.IN_DISCUSSION, MatchStatus.REJECTED},
    MatchStatus.IN_DISCUSSION: {MatchStatus.IMPLEMENTED, MatchStatus.REJECTED},
    MatchStatus.IMPLEMENTED: set(),
    MatchStatus.REJECTED: {MatchStatus.REVIEWED},  # a rejection can be reconsidered
    MatchStatus.OBSOLETE: set(),
}
# Once introduced, members see who the counterpart is.
REVEALED_STATUSES = (MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION, MatchStatus.IMPLEMENTED)


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Seule la coordination du pôle fait avancer une mise en relation."))


@transaction.atomic
def match_transition(*, actor: User, match: Match, status: str, reason: str = "", note: str = "",
                     actual_tonnes_per_year: float | None = None) -> Match:  # fmt: skip
    _require_coordinator(actor)
    if status not in TRANSITIONS[match.status]:
        raise ValidationError(
            _("Une mise en relation « %(current)s » ne peut pas passer à « %(target)s ».")
            % {"current": match.get_status_display(), "target": MatchStatus(status).label}
        )
    if status == MatchStatus.REJECTED and not reason:
        raise ValidationError({"rejection_reason": _("Indiquez pourquoi la mise en relation est écartée.")})
    match.status = status
    if status == MatchStatus.REJECTED:
        match.rejection_reason, match.rejection_note = reason, note
    if status == MatchStatus.IMPLEMENTED and actual_tonnes_per_year is not None:
        match.actual_tonnes_per_year = actual_tonnes_per_year
    match._history_user = actor
    match.save()
    if note and status != MatchStatus.REJECTED:
        MatchNote.objects.create(match=match, author=actor, text=note)
    if status == MatchStatus.INTRODUCED:
        _notify_introduction(match, actor=actor)
    return match


@transaction.atomic
def match_answer(*, actor: User, match: Match, interested: bool) -> Match:
    """A member's answer to an introduction (admins and editors of a member concerned)."""
    participant = match.participants.filter(member_id=actor.member_id).first()
    if participant is None or actor.member_role not in (MemberRole.ADMIN, MemberRole.EDITOR):
        raise PermissionDenied(_("Vous ne pouvez pas répondre pour cette mise en relation."))
    if match.status not in (MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION):
        raise ValidationError(_("Cette mise en relation n'attend pas de réponse."))
    participant.answer = ParticipantAnswer.ACCEPTED if interested else ParticipantAnswer.DECLINED
    participant.answered_at, participant.answered_by = timezone.now(), actor
    participant._history_user = actor
    participant.save()
    everyone_in = not match.participants.exclude(answer=ParticipantAnswer.ACCEPTED).exists()
    if everyone_in and match.status == MatchStatus.INTRODUCED:
        match.status = MatchStatus.IN_DISCUSSION
        match._history_user = actor
        match.save()
    return match


def match_note_add(*, actor: User, match: Match, text: str) -> MatchNote:
    if not (actor.is_coordinator or match.participants.filter(member_id=actor.member_id).exists()):
        raise PermissionDenied
    if match.status not in REVEALED_STATUSES and not actor.is_coordinator:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("La note est vide.")})
    return MatchNote.objects.create(match=match, author=actor, text=text.strip())


def _notify_introduction(match: Match, *, actor: User) -> None:
    member_ids = list(match.participants.values_list("member_id", flat=True))
    recipients = User.objects.filter(
        member_id__in=member_ids, is_active=True, member_role__in=[MemberRole.ADMIN, MemberRole.EDITOR]
    ).values_list("email", flat=True)
    context = {"match": match, "link": settings.SITE_URL + reverse("waste_flows:my_opportunities")}
    subject = render_to_string("waste_flows/email/introduction_subject.txt", context).strip()
    body = render_to_string("waste_flows/email/introduction_body.txt", context)
    for email in sorted(set(recipients)):
        send_email.delay_on_commit(subject=subject, body=body, to=[email])
