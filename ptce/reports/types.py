"""What the yearly report is made of: frozen dataclasses filled by `selectors`, read by `layout`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)


@dataclass(frozen=True)
class Line:
    """One labelled count of a breakdown (members by kind, by college…)."""

    label: str
    count: int


@dataclass(frozen=True)
class MembersSection:
    total: int
    joined: int
    left: int
    ess: int
    esus: int
    iae: int
    by_kind: tuple[Line, ...]
    by_college: tuple[Line, ...]
    by_iae_type: tuple[Line, ...]  # only the types present


@dataclass(frozen=True)
class JobsColumn:
    year: int
    members_reporting: int
    permanent_headcount: int
    permanent_fte: Decimal
    insertion_headcount: int
    insertion_fte: Decimal
    insertion_fte_in_iae: Decimal  # of which in insertion structures and inclusive employers


@dataclass(frozen=True)
class StatusLine:
    status: str
    label: str
    count: int
    budget: Decimal


@dataclass(frozen=True)
class FundingLine:
    source: str
    label: str
    requested: Decimal
    granted: Decimal
    received: Decimal


@dataclass(frozen=True)
class IndicatorLine:
    kind: str
    label: str
    projects: int
    target: Decimal | None
    actual: Decimal | None


@dataclass(frozen=True)
class ProjectsSection:
    by_status: tuple[StatusLine, ...]  # every status, in pipeline order, zeros included
    funding: tuple[FundingLine, ...]  # only the sources present
    indicators: tuple[IndicatorLine, ...]

    @property
    def count(self) -> int:
        return sum(line.count for line in self.by_status)

    @property
    def budget(self) -> Decimal:
        return sum((line.budget for line in self.by_status), ZERO)

    @property
    def funding_total(self) -> FundingLine:
        def total(name):
            return sum((getattr(line, name) for line in self.funding), ZERO)

        return FundingLine("", str(_("Total")), total("requested"), total("granted"), total("received"))


@dataclass(frozen=True)
class FlowsSection:
    as_of: datetime.date
    offers: int
    needs: int
    members_declaring: int
    offer_tonnes: Decimal
    local_tonnes: Decimal  # offered tonnes already reused or recycled on the territory
    disposed_tonnes: Decimal  # landfilled or incinerated without recovery

    @property
    def local_percent(self) -> Decimal | None:
        return self.local_tonnes * 100 / self.offer_tonnes if self.offer_tonnes else None


@dataclass(frozen=True)
class MatchTotals:
    count: int
    tonnes: float
    co2e_t: float
    euros: float


@dataclass(frozen=True)
class MatchesSection:
    during_year: MatchTotals
    to_date: MatchTotals  # implemented by the end of the year


@dataclass(frozen=True)
class PoleReport:
    year: int
    generated_on: datetime.date
    members: MembersSection
    jobs: JobsColumn
    jobs_previous: JobsColumn
    projects: ProjectsSection
    flows: FlowsSection
    matches: MatchesSection
