"""The demo's valorisation channels, and the matching run that makes its opportunities appear."""

from decimal import Decimal

from members.demo import MEMBERS, SeedSummary, demo_siret
from members.models import Site, User

from .enums import MatchKind, MatchStatus, RejectionReason, RunScope, RunTrigger
from .match_lifecycle import match_transition
from .match_services import match_run_create, match_run_execute
from .matches import Channel, Match
from .models import Material

DEMO_CHANNELS = (
    {
        "name": "Chaufferie bois collective de Fameck",
        "description": "Chaufferie biomasse de la SCIC Bois Énergie : viable à partir de 800 t/an de bois de "
        "classe A broyé (palettes, emballages et bois non traités) collecté à moins de 25 km.",
        "materials": ("wood.pallets", "wood.packaging", "wood.untreated", "wood.fuel"),
        "min_annual_quantity": Decimal("800000"),
        "max_annual_quantity": Decimal("2500000"),
        "site_member": "scic-bois-energie",
        "radius_km": 25,
    },
    {
        "name": "Unité de méthanisation territoriale",
        "description": "Projet de méthaniseur de l'agglomération : viable à partir de 5 000 t/an de biodéchets "
        "et sous-produits agroalimentaires dans un rayon de 30 km.",
        "materials": ("biowaste.food", "biowaste.agrifood", "biowaste.green", "biowaste.methanisation_feedstock"),
        "min_annual_quantity": Decimal("5000000"),
        "max_annual_quantity": None,
        "site_member": None,
        "radius_km": 30,
    },
)


def seed_channels(*, actor: User) -> SeedSummary:
    summary = SeedSummary()
    for spec in DEMO_CHANNELS:
        channel, created = Channel.objects.get_or_create(
            name=spec["name"],
            defaults={
                "description": spec["description"],
                "min_annual_quantity": spec["min_annual_quantity"],
                "max_annual_quantity": spec["max_annual_quantity"],
                "site": _main_site(spec["site_member"]),
                "radius_km": spec["radius_km"],
            },
        )
        if created:
            channel.materials.set(Material.objects.filter(code__in=spec["materials"]))
        summary.count("channels", created=created)
    return summary


def seed_matches(*, actor: User) -> SeedSummary:
    """One full matching run, so that the demo shows real opportunities (the pallets-to-boiler pool…)."""
    run = match_run_execute(run_id=match_run_create(scope=RunScope.FULL, trigger=RunTrigger.COMMAND).pk)
    summary = SeedSummary()
    summary.total["matches found by the run"] = run.matches_created + run.matches_updated
    summary.created["matches found by the run"] = run.matches_created
    moved = _follow_up(actor=actor)
    summary.total["matches followed up by the coordination"] = Match.objects.exclude(
        status__in=[MatchStatus.SUGGESTED, MatchStatus.OBSOLETE]
    ).count()
    summary.created["matches followed up by the coordination"] = moved
    return summary


# What the coordination has done with the best substitutions, so that the board, the funnel, the impact and
# the members' "awaiting your answer" are not empty: the statuses each group of matches is walked through.
FOLLOW_UP = (
    (
        "implemented",
        4,
        (MatchStatus.REVIEWED, MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION, MatchStatus.IMPLEMENTED),
    ),
    ("in_discussion", 3, (MatchStatus.REVIEWED, MatchStatus.INTRODUCED, MatchStatus.IN_DISCUSSION)),
    ("introduced", 3, (MatchStatus.REVIEWED, MatchStatus.INTRODUCED)),
    ("reviewed", 4, (MatchStatus.REVIEWED,)),
    ("rejected", 2, (MatchStatus.REJECTED,)),
)
# Implemented exchanges rarely reach the estimate: the demo records 85 % of it as the actual quantity.
ACTUAL_SHARE = 0.85
DEMO_MEMBER_LOGIN = "recyclerie@demo-ptce.fr"


def _follow_up(*, actor: User) -> int:
    """Walk untouched suggestions through the lifecycle, through the same service as the board's buttons.

    Only suggested matches move, so a second seed changes nothing. The demo member login's organisation
    gets the introductions first: its dashboard then shows answers to give."""
    login = User.objects.filter(email=DEMO_MEMBER_LOGIN).first()
    candidates = list(
        Match.objects.filter(kind=MatchKind.SUBSTITUTION, status=MatchStatus.SUGGESTED).order_by("-score", "key")[:60]
    )
    if login is not None:
        theirs = {
            m.pk for m in Match.objects.filter(pk__in=[c.pk for c in candidates], participants__member=login.member_id)
        }
        candidates.sort(key=lambda match: match.pk not in theirs)
    if Match.objects.exclude(status__in=[MatchStatus.SUGGESTED, MatchStatus.OBSOLETE]).exists():
        return 0  # followed up by an earlier seed (or by people): leave their decisions alone
    moved = 0
    groups = sorted(FOLLOW_UP, key=lambda group: group[0] != "introduced")  # introductions first, see above
    for _name, count, steps in groups:
        for match in candidates[moved : moved + count]:
            for status in steps:
                match_transition(
                    actor=actor,
                    match=match,
                    status=status,
                    reason=RejectionReason.DISTANCE if status == MatchStatus.REJECTED else "",
                    note="Distance jugée trop longue par le receveur." if status == MatchStatus.REJECTED else "",
                    actual_tonnes_per_year=round(match.tonnes_per_year * ACTUAL_SHARE, 1)
                    if status == MatchStatus.IMPLEMENTED
                    else None,
                )
        moved += len(candidates[moved : moved + count])
    return moved


def _main_site(member_key: str | None) -> Site | None:
    if member_key is None:
        return None
    demo = next(member for member in MEMBERS if member.key == member_key)
    return Site.objects.filter(siret=demo_siret(demo, 0)).first()
