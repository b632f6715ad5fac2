"""Reads of the matching: the coordinator's board, a member's opportunities, and what one user may see of
one match.

Confidentiality (DESIGN §3): a member sees a match only once the coordinator has introduced it
(`REVEALED_STATUSES`). Before that it is a suggestion still under the coordination's review: members do not
see it at all, neither in pages nor in the API, so no "anonymised" state is ever shown to them. Rejected and
obsolete matches are hidden from members too. `match_view_for` is the one place deciding what a user sees;
the bands it computes (quantity, distance) are what may be said of a match without naming anyone.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from members.enums import MemberRole
from members.models import Contact

from .enums import MatchStatus, ParticipantAnswer
from .match_lifecycle import REVEALED_STATUSES
from .matches import Match, MatchParticipant, MatchRun
from .models import Stream

FUNNEL = (
    MatchStatus.SUGGESTED,
    MatchStatus.REVIEWED,
    MatchStatus.INTRODUCED,
    MatchStatus.IN_DISCUSSION,
    MatchStatus.IMPLEMENTED,
)
OFF_FUNNEL = (MatchStatus.REJECTED, MatchStatus.OBSOLETE)
RECENT_RUNS = 10


# --- Lists ----------------------------------------------------------------------------------------------


def match_board_queryset():
    """Every match, with what the board's rows show, in a fixed number of queries."""
    return Match.objects.select_related(
        "material", "offer__site__member", "need__site__member", "channel"
    ).prefetch_related(Prefetch("participants", queryset=MatchParticipant.objects.select_related("member")))


def match_status_counts(queryset) -> list[dict]:
    """The funnel row: one query, every status in order, zeros included."""
    counts = queryset.order_by().aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in MatchStatus}
    )
    return [
        {"status": status.value, "label": status.label, "count": counts[status.value], "funnel": status in FUNNEL}
        for status in (*FUNNEL, *OFF_FUNNEL)
    ]


def match_implemented_totals(queryset) -> dict:
    return (
        queryset.filter(status=MatchStatus.IMPLEMENTED)
        .order_by()
        .aggregate(
            tonnes_per_year=Sum("tonnes_per_year"),
            actual_tonnes_per_year=Sum("actual_tonnes_per_year"),
            co2e_avoided_t=Sum("co2e_avoided_t"),
            euros_saved=Sum("euros_saved"),
            count=Count("pk"),
        )
    )


def member_matches_queryset(*, member_id: int | None):
    """The revealed matches a member takes part in (introduced, in discussion, implemented)."""
    if member_id is None:
        return Match.objects.none()
    takes_part = MatchParticipant.objects.filter(match=OuterRef("pk"), member_id=member_id)
    return (
        Match.objects.filter(Exists(takes_part), status__in=REVEALED_STATUSES)
        .select_related("material")
        .prefetch_related(Prefetch("participants", queryset=MatchParticipant.objects.select_related("member")))
        .order_by("-updated_at", "pk")
    )


def awaiting_answer_count(*, member_id: int | None) -> int:
    """Introduced matches still waiting for the member's answer: one query (the navigation badge)."""
    if member_id is None:
        return 0
    return MatchParticipant.objects.filter(
        member_id=member_id, answer=ParticipantAnswer.PENDING, match__status=MatchStatus.INTRODUCED
    ).count()


def recent_runs(limit: int = RECENT_RUNS):
    return MatchRun.objects.select_related("started_by").order_by("-created_at")[:limit]


# --- One match --------------------------------------------------------------------------------------------


def match_for_coordinator(*, pk: int) -> Match:
    return (
        Match.objects.select_related(
            "material",
            "offer__site__member",
            "offer__material",
            "offer__unit",
            "need__site__member",
            "need__material",
            "need__unit",
            "channel__site",
            "hub_site__member",
        )
        .prefetch_related(
            Prefetch("participants", queryset=MatchParticipant.objects.select_related("member", "answered_by")),
            Prefetch("streams", queryset=Stream.objects.select_related("site__member", "material", "unit")),
            "notes__author",
        )
        .get(pk=pk)
    )


def match_history(*, match: Match) -> list[dict]:
    """Status changes, oldest first: who, when, from what to what."""
    records = list(match.history.select_related("history_user").order_by("history_date", "history_id"))
    changes, previous = [], None
    for record in records:
        if previous is None or record.status != previous:
            changes.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "from": MatchStatus(previous).label if previous else "",
                    "to": MatchStatus(record.status).label,
                    "reason": record.get_rejection_reason_display() if record.rejection_reason else "",
                }
            )
        previous = record.status
    return changes


def quantity_band(tonnes: float | None) -> str:
    if tonnes is None or tonnes <= 0:
        return _("quantité non précisée")
    for low, high in ((0, 1), (1, 10), (10, 50), (50, 200), (200, 1000)):
        if tonnes < high:
            return _("%(low)s à %(high)s t/an") % {"low": low, "high": high}
    return _("plus de 1 000 t/an")


def distance_band(km: float | None) -> str:
    if km is None:
        return ""
    if km < 10:
        return _("moins de 10 km")
    if km <= 30:
        return _("10 à 30 km")
    return _("plus de 30 km")


@dataclass(frozen=True)
class Counterpart:
    member_id: int
    name: str
    communes: tuple[str, ...]
    emails: tuple[str, ...]
    answer: str
    answer_label: str


@dataclass(frozen=True)
class MatchView:
    """What one user may see of one match. `counterparts` is empty unless `revealed`."""

    pk: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    material_name: str
    quantity_band: str
    distance_band: str
    tonnes_per_year: float
    co2e_avoided_t: float
    euros_saved: float
    revealed: bool
    own_answer: str = ""
    own_answer_label: str = ""
    can_answer: bool = False
    counterparts: tuple[Counterpart, ...] = field(default_factory=tuple)


def match_view_for(*, user, match: Match) -> MatchView | None:
    """What `user` may see of `match`, or None when they may not see it at all (pages answer 404).

    Coordinators see everything; a member user sees a match their organisation takes part in once it is
    revealed, with the other participants named; anyone else sees nothing."""
    participants = list(match.participants.all())
    own = next((p for p in participants if p.member_id == user.member_id), None) if user.member_id else None
    if not user.is_coordinator and (own is None or match.status not in REVEALED_STATUSES):
        return None
    revealed = user.is_coordinator or match.status in REVEALED_STATUSES
    others = [p for p in participants if own is None or p.member_id != own.member_id]
    counterparts = _counterparts(match, others) if revealed else ()
    return MatchView(
        pk=match.pk,
        kind=match.kind,
        kind_label=match.get_kind_display(),
        status=match.status,
        status_label=match.get_status_display(),
        material_name=match.material.name,
        quantity_band=quantity_band(match.tonnes_per_year),
        distance_band=distance_band(match.distance_km),
        tonnes_per_year=match.tonnes_per_year,
        co2e_avoided_t=match.co2e_avoided_t,
        euros_saved=match.euros_saved,
        revealed=revealed,
        own_answer=own.answer if own else "",
        own_answer_label=own.get_answer_display() if own else "",
        can_answer=bool(
            own
            and match.status in (MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION)
            and user.member_role in (MemberRole.ADMIN, MemberRole.EDITOR)
        ),
        counterparts=counterparts,
    )


def _counterparts(match: Match, participants) -> tuple[Counterpart, ...]:
    member_ids = [p.member_id for p in participants]
    communes: dict[int, set] = {}
    for member_id, commune in match.streams.filter(site__member_id__in=member_ids).values_list(
        "site__member_id", "site__commune"
    ):
        communes.setdefault(member_id, set()).add(commune)
    emails: dict[int, list] = {}
    consenting = Contact.objects.filter(member_id__in=member_ids, consents_to_contact=True).exclude(email="")
    for member_id, email in consenting.values_list("member_id", "email").order_by("member_id", "email"):
        emails.setdefault(member_id, []).append(email)
    return tuple(
        Counterpart(
            member_id=p.member_id,
            name=p.member.name,
            communes=tuple(sorted(communes.get(p.member_id, ()))),
            emails=tuple(emails.get(p.member_id, ())),
            answer=p.answer,
            answer_label=p.get_answer_display(),
        )
        for p in participants
    )
