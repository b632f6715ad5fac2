"""Reads of waste flows that are more than one queryset call."""

# --- Declarations: stream lists, detail, history, completeness hints --------------------------------

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from members.models import Site

from .enums import Direction, Route, StreamStatus
from .models import Material, Stream, Unit

STREAM_LIST_RELATIONS = ("site__member", "material", "unit", "ewc_code")
STREAM_HISTORY_LIMIT = 200
# Computed or technical fields: the change of quantity or unit that causes them is shown instead.
STREAM_HISTORY_EXCLUDED = ("annual_quantity", "declared_by")


def stream_list_queryset(*, user) -> QuerySet[Stream]:
    """Streams the user may read, with what a list row shows, in one query per page whatever their number."""
    return Stream.objects.visible_to(user).select_related(*STREAM_LIST_RELATIONS)


def exchange_queryset(*, user) -> QuerySet[Stream]:
    """The exchange (« bourse des flux »): active streams the user may read, theirs included."""
    return stream_list_queryset(user=user).active()


def member_streams_queryset(*, member_id: int) -> QuerySet[Stream]:
    """Every stream of one organisation, archived last."""
    archived_last = Q(status=StreamStatus.ARCHIVED)
    return (
        Stream.objects.of_member(member_id)
        .select_related(*STREAM_LIST_RELATIONS)
        .alias(is_archived=Count("pk", filter=archived_last))
        .order_by("is_archived", "-updated_at", "pk")
    )


def stream_for_detail(*, pk: int, user) -> Stream:
    """One stream the user may read; raises Stream.DoesNotExist otherwise (the view answers 404)."""
    return stream_list_queryset(user=user).select_related("declared_by").get(pk=pk)


def stream_direction_counts(queryset: QuerySet[Stream]) -> dict[str, int]:
    """How many offers and needs a filtered list holds, in one query."""
    counts = queryset.order_by().aggregate(
        offers=Count("pk", filter=Q(direction=Direction.OFFER)),
        needs=Count("pk", filter=Q(direction=Direction.NEED)),
    )
    return {"offers": counts["offers"] or 0, "needs": counts["needs"] or 0}


@dataclass(frozen=True)
class DeclarationHints:
    """What is still missing in an organisation's declarations, to nudge it to complete them."""

    sites_without_stream: list[Site]
    offers_without_route: list[Stream]
    offers_without_cost: list[Stream]

    def __bool__(self) -> bool:
        return bool(self.sites_without_stream or self.offers_without_route or self.offers_without_cost)


def declaration_hints(*, member_id: int, streams: list[Stream]) -> DeclarationHints:
    """Hints computed from the organisation's streams already loaded for the page, plus one query for sites."""
    current = [stream for stream in streams if stream.status != StreamStatus.ARCHIVED]
    declared_sites = {stream.site_id for stream in current}
    offers = [stream for stream in current if stream.direction == Direction.OFFER]
    return DeclarationHints(
        sites_without_stream=[
            site for site in Site.objects.filter(member_id=member_id) if site.pk not in declared_sites
        ],
        offers_without_route=[stream for stream in offers if stream.current_route in ("", Route.UNKNOWN)],
        offers_without_cost=[stream for stream in offers if stream.current_route_cost is None],
    )


@dataclass(frozen=True)
class StreamHistoryEntry:
    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


def stream_history(*, stream: Stream) -> list[StreamHistoryEntry]:
    """The recorded changes of one stream, newest first, each diffed against the previous record in memory.

    One query for the records, and at most one per kind of related object named in the changes (sites,
    materials, units), whatever the number of records."""
    records = list(
        stream.history.select_related("history_user").order_by("-history_date", "-history_id")[:STREAM_HISTORY_LIMIT]
    )
    records.reverse()
    raw_entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=STREAM_HISTORY_EXCLUDED)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        raw_entries.append((record, changes))
        previous = record
    names = _related_names([change for _record, changes in raw_entries for change in changes])
    entries = [
        StreamHistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "",
            action=record.history_type,
            changes=[
                (_field_label(name), _display(name, old, names), _display(name, new, names))
                for name, old, new in sorted(changes, key=lambda change: _FIELD_ORDER.get(change[0], 99))
            ],
        )
        for record, changes in raw_entries
    ]
    entries.reverse()
    return entries


_FIELD_ORDER = {model_field.name: index for index, model_field in enumerate(Stream._meta.concrete_fields)}
_RELATED = {"site": Site, "material": Material, "unit": Unit}


def _related_names(changes) -> dict[str, dict]:
    """Names of the related objects a list of changes refers to by primary key, one query per model."""
    wanted: dict[str, set] = {}
    for name, old, new in changes:
        if name in _RELATED:
            wanted.setdefault(name, set()).update(value for value in (old, new) if value is not None)
    return {name: _RELATED[name].objects.in_bulk(list(keys)) for name, keys in wanted.items()}


def _field_label(name: str) -> str:
    return capfirst(str(Stream._meta.get_field(name).verbose_name))


def _display(name: str, value, names: dict[str, dict]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in names:
        related = names[name].get(value)
        return str(related) if related is not None else str(value)
    if name == "months":
        return ", ".join(str(MONTHS.get(month, month)) for month in value)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    model_field = Stream._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):  # 12.500 → « 12,5 », not « 12,500 »
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return formats.number_format(value, use_l10n=True)
    if hasattr(value, "year"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# --- end declarations ---
