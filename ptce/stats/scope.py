"""What the statistics are computed over, for each user.

Aggregates cover what members share with the pole, never what they keep for the coordination:

- coordinators: everything;
- anyone else: streams declared public or members-only (summed into buckets of at least 3 members, see
  `masking`), plus all of their own organisation's; matches except those built on another member's
  coordinator-only stream; projects open to the public or to members, plus their own organisation's.

Streams count once active, from current members (active or suspended): the inventory's rule.
"""

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, StrIndex, Substr

from members.enums import MembershipStatus
from members.models import Member
from waste_flows.enums import Confidentiality, MatchStatus
from waste_flows.matches import Match
from waste_flows.models import Stream
from waste_flows.querysets import DIRECTORY_STATUSES

from .filters import StatsFilters

SHARED_LEVELS = (Confidentiality.PUBLIC, Confidentiality.MEMBERS)


def stats_streams(*, user, filters: StatsFilters) -> QuerySet[Stream]:
    streams = Stream.objects.active().filter(site__member__status__in=DIRECTORY_STATUSES)
    if not user.is_coordinator:
        own = Q(site__member_id=user.member_id) if user.member_id else Q(pk__in=[])
        streams = streams.filter(Q(confidentiality__in=SHARED_LEVELS) | own)
    return streams.filter(filters.territory.sites_q("site__"))


def stats_members(*, filters: StatsFilters) -> QuerySet[Member]:
    """Members of the territory, whatever their status: `active_on` tells which counted on a given day."""
    return Member.objects.filter(filters.territory.members_q())


def active_on(day) -> Q:
    """Members of the pole on `day`: joined by then (or without a known date) and not yet gone.

    Prospects never count; former members count until the day they left."""
    current = Q(status__in=[MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED])
    former = Q(status=MembershipStatus.FORMER, left_on__isnull=False)
    joined = Q(joined_on__isnull=True) | Q(joined_on__lte=day)
    not_gone = Q(left_on__isnull=True) | Q(left_on__gt=day)
    return (current | former) & joined & not_gone


def stats_matches(*, user, filters: StatsFilters) -> QuerySet[Match]:
    matches = Match.objects.exclude(status=MatchStatus.OBSOLETE)
    if not user.is_coordinator:
        hidden = Stream.objects.filter(matches=OuterRef("pk"), confidentiality=Confidentiality.COORDINATOR)
        if user.member_id:
            hidden = hidden.exclude(site__member_id=user.member_id)
        matches = matches.exclude(Exists(hidden))
    if not filters.territory.is_whole_pole:
        in_territory = Stream.objects.filter(filters.territory.sites_q("site__"), matches=OuterRef("pk"))
        matches = matches.filter(Exists(in_territory))
    return matches


def implemented_at(*, match_ref: str = "pk", updated_at: str = "updated_at"):
    """When a match became implemented, as an annotation: its first history record in that status, else its
    last update (see `implemented_by`). From another model, name the match's id and its `updated_at`
    (`"match_id"`, `"match__updated_at"`). Correlated: fine for a page of matches; to count or sum over many,
    filter with `implemented_by(end)` instead."""
    first_record = (
        Match.history.model.objects.filter(id=OuterRef(match_ref), status=MatchStatus.IMPLEMENTED)
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return Coalesce(Subquery(first_record), F(updated_at))


def implemented_by(end, *, prefix: str = "") -> Q:
    """Matches implemented before `end`: the day a match became implemented is its first history record in
    that status (people's decisions are recorded; engine refreshes are not); a match implemented without
    such a record (created so by an import) counts from its last update.

    Both subqueries are uncorrelated: the database computes each once and probes it for every match, where
    a "first record of this match" subquery would run once per match and per aggregate. From another model,
    `prefix` leads to the match (`"match__"`)."""
    records = Match.history.model.objects.filter(status=MatchStatus.IMPLEMENTED)
    recorded_before = Q(**{f"{prefix}pk__in": records.filter(history_date__lt=end).values("id")})
    unrecorded = ~Q(**{f"{prefix}pk__in": records.values("id")}) & Q(**{f"{prefix}updated_at__lt": end})
    return Q(**{f"{prefix}status": MatchStatus.IMPLEMENTED}) & (recorded_before | unrecorded)


def family_code(code_path: str):
    """The root of a dotted material code, computed by the database: `wood.pallets` → `wood`."""
    code = F(code_path)
    return Case(
        When(**{f"{code_path}__contains": "."}, then=Substr(code, 1, StrIndex(code, Value(".")) - 1)),
        default=code,
        output_field=CharField(),
    )


def stats_projects(*, user, filters: StatsFilters):
    from projects.enums import ProjectVisibility
    from projects.models import Project

    projects = Project.objects.all()
    if not user.is_coordinator:
        shared = Q(visibility__in=[ProjectVisibility.PUBLIC, ProjectVisibility.MEMBERS])
        if user.member_id:
            involved = Project.objects.filter(
                Q(participants__member_id=user.member_id) | Q(lead_member_id=user.member_id)
            ).values("pk")
            shared |= Q(pk__in=involved)
        projects = projects.filter(shared)
    if not filters.territory.is_whole_pole:
        projects = projects.filter(
            filters.territory.sites_q("site__") | (Q(site__isnull=True) & filters.territory.members_q("lead_member"))
        )
    return projects
