"""Filters of every statistic: a period and a territory, read once from the query string.

A period is a calendar year (`?year=2025`, the current year by default) or a range of dates
(`?date_from=2025-03-01&date_to=2025-08-31`). Its previous period has the same length and ends the day before
it starts: the year before for a year. Figures are taken *at the end* of a period (members active that day,
streams declared by then, matches implemented by then), so the change over a period is what happened during it.

A territory narrows everything to sites: communes (`?commune=Hayange&commune=Florange`, exact names, any case),
a department (`?department=57`: postcodes starting with it) and a box (`?bbox=min_lon,min_lat,max_lon,max_lat`,
GeoJSON order). Members are in a territory when one of their sites is.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Site
from waste_flows.enums import Direction

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    year: int | None = None  # set when the period is a calendar year

    @classmethod
    def of_year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), year)

    @property
    def figures_year(self) -> int:
        """The year whose yearly figures (jobs, fees) describe the period: the year of its last day."""
        return self.end.year

    def previous(self) -> "Period":
        if self.year is not None:
            return Period.of_year(self.year - 1)
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(end - length, end)

    def end_instant(self) -> datetime.datetime:
        """The first instant after the period, in the site's time zone: `created_at < end_instant()`."""
        next_day = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(next_day)


@dataclass(frozen=True)
class Territory:
    communes: tuple[str, ...] = ()
    department: str = ""
    bbox: tuple[Decimal, Decimal, Decimal, Decimal] | None = None  # min_lon, min_lat, max_lon, max_lat

    @property
    def is_whole_pole(self) -> bool:
        return not (self.communes or self.department or self.bbox)

    def sites_q(self, prefix: str = "") -> Q:
        """Condition on a Site reached through `prefix` (`"site__"` from a stream, `""` on Site itself)."""
        condition = Q()
        if self.communes:
            any_commune = Q()
            for commune in self.communes:
                any_commune |= Q(**{f"{prefix}commune__iexact": commune})
            condition &= any_commune
        if self.department:
            condition &= Q(**{f"{prefix}postcode__startswith": self.department})
        if self.bbox:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            condition &= Q(
                **{
                    f"{prefix}longitude__gte": min_lon,
                    f"{prefix}longitude__lte": max_lon,
                    f"{prefix}latitude__gte": min_lat,
                    f"{prefix}latitude__lte": max_lat,
                }
            )
        return condition

    def members_q(self, member_ref: str = "pk") -> Q:
        """Condition on a member (reached through `member_ref`) having a site in the territory."""
        if self.is_whole_pole:
            return Q()
        return Q(Exists(Site.objects.filter(self.sites_q(), member=OuterRef(member_ref))))

    def as_dict(self) -> dict:
        return {
            "communes": list(self.communes),
            "department": self.department or None,
            "bbox": [float(value) for value in self.bbox] if self.bbox else None,
        }


@dataclass(frozen=True)
class StatsFilters:
    period: Period
    territory: Territory = field(default_factory=Territory)
    family: str = ""  # material family code (map layers)
    direction: str = ""  # offer or need (map layers)

    def previous(self) -> "StatsFilters":
        return StatsFilters(self.period.previous(), self.territory, self.family, self.direction)

    def as_dict(self) -> dict:
        previous = self.period.previous()
        return {
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "year": self.period.year,
                "previous_start": previous.start.isoformat(),
                "previous_end": previous.end.isoformat(),
            },
            "territory": self.territory.as_dict(),
        }


def current_year() -> int:
    return timezone.localdate().year


def parse_filters(params: Mapping) -> StatsFilters:
    """Filters from a query string (a QueryDict, or a plain dict in tests and Python callers).

    Raises ValidationError with one message per wrong parameter."""
    errors: dict[str, str] = {}
    period = _parse_period(params, errors)
    territory = Territory(
        communes=tuple(c.strip() for c in _get_list(params, "commune") if c.strip()),
        department=_parse_department(params.get("department", ""), errors),
        bbox=_parse_bbox(params.get("bbox", ""), errors),
    )
    direction = params.get("direction", "") or ""
    if direction and direction not in Direction.values:
        errors["direction"] = _("Sens inconnu : « offer » ou « need ».")
    if errors:
        raise ValidationError(errors)
    return StatsFilters(period, territory, family=(params.get("family", "") or "").strip(), direction=direction)


def _get_list(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _parse_period(params: Mapping, errors: dict) -> Period:
    date_from, date_to = params.get("date_from"), params.get("date_to")
    if date_from or date_to:
        start, end = _parse_date(date_from, "date_from", errors), _parse_date(date_to, "date_to", errors)
        if start and end and end < start:
            errors["date_to"] = _("La fin de la période précède son début.")
        if start and end and not errors:
            return Period(start, end)
        return Period.of_year(current_year())
    year = params.get("year")
    if not year:
        return Period.of_year(current_year())
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not EARLIEST_YEAR <= value <= LATEST_YEAR:
        errors["year"] = _("Année invalide : attendu un nombre entre %(low)s et %(high)s.") % {
            "low": EARLIEST_YEAR,
            "high": LATEST_YEAR,
        }
        return Period.of_year(current_year())
    return Period.of_year(value)


def _parse_date(value, name: str, errors: dict) -> datetime.date | None:
    if not value:
        errors[name] = _("Indiquez les deux dates de la période (AAAA-MM-JJ).")
        return None
    try:
        date = datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("Date invalide : attendu AAAA-MM-JJ.")
        return None
    # Same bounds as a year: the previous period of a range starting in year 1 would fall before year 1.
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        errors[name] = _("Date invalide : attendu une date entre %(low)s et %(high)s.") % {
            "low": EARLIEST_YEAR,
            "high": LATEST_YEAR,
        }
        return None
    return date


def _parse_department(value: str, errors: dict) -> str:
    value = (value or "").strip().upper()
    if value and not (value.isdigit() and len(value) in (2, 3)):
        errors["department"] = _("Département invalide : ses 2 chiffres (57), ou 3 outre-mer (974).")
        return ""
    return value


def _parse_bbox(value: str, errors: dict) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    if not value:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (Decimal(part.strip()) for part in str(value).split(","))
        valid = -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90
    except (ValueError, ArithmeticError):  # not four numbers, or NaN
        valid = False
    if not valid:
        errors["bbox"] = _("Emprise invalide : attendu min_lon,min_lat,max_lon,max_lat.")
        return None
    return min_lon, min_lat, max_lon, max_lat
