"""What a project created from an opportunity starts with (read-only: the service writes it).

- substitution: the receiving member leads, the supplier takes part; the place is the receiving site;
- pooling: the member receiving the pooled flow leads (the need's owner), else the hub's owner; every
  contributor supplies; the place is the receiving site or the hub;
- shared need: the member with the largest need leads, the others benefit; the type of project follows
  the service needed (premises, purchasing, training…).
The summary states the quantities of each party and the estimated impact; this year's indicators get the
match's tonnes, CO2e and savings as targets.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, Site
from waste_flows.enums import Direction, MatchKind
from waste_flows.matches import Match

from .enums import IndicatorKind, ParticipantRole, ProjectKind

# Longest prefix first: the service needed by a shared-need group says what is mutualised.
SHARED_NEED_KINDS = (
    ("services.purchasing", ProjectKind.PURCHASING),
    ("services.transport", ProjectKind.LOGISTICS),
    ("skills.training", ProjectKind.INSERTION),
    ("skills.insertion", ProjectKind.INSERTION),
    ("premises", ProjectKind.PREMISES),
    ("equipment", ProjectKind.EQUIPMENT),
    ("services", ProjectKind.SERVICES),
    ("skills", ProjectKind.SKILLS),
    ("energy", ProjectKind.ENERGY),
)
# Quantities are stored in the base unit of their dimension; people read tonnes and MWh.
DISPLAY_UNITS = {
    "mass": ("t", Decimal(1000)),
    "energy": ("MWh", Decimal(1000)),
    "volume": ("m³", Decimal(1)),
    "area": ("m²", Decimal(1)),
    "time": ("h", Decimal(1)),
    "count": (gettext_lazy("unités"), Decimal(1)),
}
TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class MatchPrefill:
    title: str
    summary: str
    kind: str
    lead_member: Member
    site: Site | None
    commune: str
    participants: list[tuple[Member, str]]  # (member, role), the lead excluded
    indicators: list[dict]  # Indicator fields: kind, unit, year, target


@dataclass(frozen=True)
class _Party:
    member: Member
    offered: Decimal
    needed: Decimal
    main_site: Site  # the site of its largest stream in the match


def prefill_from_match(match: Match, *, year: int) -> MatchPrefill:
    streams = list(match.streams.select_related("site__member", "material"))
    parties = _parties(match, streams)
    lead = _lead(match, parties)
    site = _place(match, parties, lead)
    participants = [
        (party.member, ParticipantRole.SUPPLIER if party.offered else ParticipantRole.BENEFICIARY)
        for party in sorted(parties.values(), key=lambda party: party.member.name)
        if party.member.pk != lead.pk
    ]
    return MatchPrefill(
        title=_title(match)[:TITLE_MAX_LENGTH],
        summary=_summary(match, parties),
        kind=_kind(match),
        lead_member=lead,
        site=site,
        commune=site.commune if site else "",
        participants=participants,
        indicators=_indicators(match, year=year, members=len(parties)),
    )


def _parties(match: Match, streams) -> dict[int, _Party]:
    offered, needed, biggest = defaultdict(Decimal), defaultdict(Decimal), {}
    members = {
        participant.member_id: participant.member for participant in match.participants.select_related("member")
    }
    for stream in streams:
        member_id = stream.site.member_id
        members.setdefault(member_id, stream.site.member)
        totals = offered if stream.direction == Direction.OFFER else needed
        totals[member_id] += stream.annual_quantity or 0
        if member_id not in biggest or (stream.annual_quantity or 0) > (biggest[member_id].annual_quantity or 0):
            biggest[member_id] = stream
    return {
        member_id: _Party(
            member=member,
            offered=offered[member_id],
            needed=needed[member_id],
            main_site=biggest[member_id].site if member_id in biggest else member.sites.first(),
        )
        for member_id, member in members.items()
    }


def _lead(match: Match, parties: dict[int, _Party]) -> Member:
    if match.need_id:
        return match.need.site.member
    if match.kind == MatchKind.POOLING and match.hub_site_id:
        return match.hub_site.member
    # Shared needs (and pools without a hub): the party with most at stake, then by name.
    needs = match.kind == MatchKind.SHARED_NEED
    return min(
        parties.values(), key=lambda party: (-(party.needed if needs else party.offered), party.member.name)
    ).member


def _place(match: Match, parties: dict[int, _Party], lead: Member) -> Site | None:
    if match.need_id:
        return match.need.site
    if match.hub_site_id:
        return match.hub_site
    if match.channel_id and match.channel.site_id:
        return match.channel.site
    return parties[lead.pk].main_site if lead.pk in parties else None


def _kind(match: Match) -> str:
    if match.kind != MatchKind.SHARED_NEED:
        return ProjectKind.CHANNEL
    code = match.material.code
    for prefix, kind in SHARED_NEED_KINDS:
        if code == prefix or code.startswith(f"{prefix}."):
            return kind
    return ProjectKind.SERVICES


def _kind_label(match: Match) -> str:
    return match.get_kind_display().split(" (")[0]


def _title(match: Match) -> str:
    title = f"{_kind_label(match)} — {match.material.name}"
    if match.channel_id:
        return _("%(title)s pour « %(channel)s »") % {"title": title, "channel": match.channel.name}
    return title


def quantity_label(value, dimension: str) -> str:
    unit, divisor = DISPLAY_UNITS.get(dimension, ("", Decimal(1)))
    amount = Decimal(str(value or 0)) / divisor
    places = 0 if abs(amount) >= 10 else 1
    number = formats.number_format(round(amount, places), decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{number} {unit}".strip()


def _summary(match: Match, parties: dict[int, _Party]) -> str:
    dimension = match.material.dimension
    per_year = _("%s par an")
    lines = [_("Projet issu de l'opportunité n° %(pk)s (%(kind)s, %(material)s).") % {
        "pk": match.pk, "kind": _kind_label(match).lower(), "material": match.material.name}]  # fmt: skip
    suppliers = [p for p in parties.values() if p.offered]
    receivers = [p for p in parties.values() if p.needed]
    if suppliers:
        lines.append(_("Apports : %s.") % _shares(suppliers, "offered", dimension, per_year))
    if receivers:
        lines.append(_("Besoins : %s.") % _shares(receivers, "needed", dimension, per_year))
    if match.total_quantity:
        total = per_year % quantity_label(match.total_quantity, dimension)
        if match.threshold:
            lines.append(_("Quantité réunie : %(total)s, pour un seuil de %(threshold)s (%(share)s %%).") % {
                "total": total, "threshold": quantity_label(match.threshold, dimension),
                "share": round(match.total_quantity / match.threshold * 100)})  # fmt: skip
        else:
            lines.append(_("Quantité réunie : %s.") % total)
    if match.distance_km:
        lines.append(_("Distance : %s km.") % formats.number_format(round(match.distance_km, 1), use_l10n=True))
    if match.tonnes_per_year or match.co2e_avoided_t or match.euros_saved:
        lines.append(_("Impact estimé : %(tonnes)s t détournées, %(co2e)s t CO2e évitées et %(euros)s € économisés "
                       "par an.") % {"tonnes": _rounded(match.tonnes_per_year), "co2e": _rounded(match.co2e_avoided_t),
                                     "euros": _rounded(match.euros_saved)})  # fmt: skip
    return "\n".join(lines)


def _shares(parties, attribute: str, dimension: str, per_year: str) -> str:
    ordered = sorted(parties, key=lambda party: (-getattr(party, attribute), party.member.name))
    return ", ".join(
        f"{party.member.name} ({per_year % quantity_label(getattr(party, attribute), dimension)})" for party in ordered
    )


def _rounded(value) -> str:
    return formats.number_format(round(value or 0), use_l10n=True, force_grouping=True)


def _indicators(match: Match, *, year: int, members: int) -> list[dict]:
    targets = [
        (IndicatorKind.TONNES, "t", match.tonnes_per_year),
        (IndicatorKind.CO2E, "t CO2e", match.co2e_avoided_t),
        (IndicatorKind.EUROS, "€", match.euros_saved),
        (IndicatorKind.MEMBERS, "", members),
    ]
    return [
        {"kind": kind, "unit": unit, "year": year, "target": Decimal(str(round(value, 2)))}
        for kind, unit, value in targets
        if value
    ]
