"""Shapes of the demo pole's data (see members/demo/__init__.py)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ..enums import IaeType, LegalForm, MemberKind, MembershipStatus

ESS_LEGAL_FORMS = {LegalForm.ASSOCIATION, LegalForm.SCOP, LegalForm.SCIC, LegalForm.COOPERATIVE,
                   LegalForm.MUTUAL, LegalForm.FOUNDATION}  # fmt: skip

# --- Shapes of the demo data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    postcode: str
    latitude: float  # centre of the commune (town hall area)
    longitude: float


@dataclass(frozen=True)
class DemoSite:
    name: str
    address: str
    commune: str  # a key of COMMUNES


@dataclass(frozen=True)
class DemoContact:
    first_name: str
    last_name: str
    job_title: str
    consents: bool = False


@dataclass(frozen=True)
class DemoMember:
    key: str  # stable: it seeds the SIREN, SIRETs and coordinates, so never rename it
    name: str
    kind: MemberKind
    legal_form: LegalForm
    naf_code: str
    domain: str  # website and contacts' e-mails; always under .example
    description: str
    sites: tuple[DemoSite, ...]
    contacts: tuple[DemoContact, ...]
    joined: date | None = None
    short_name: str = ""
    iae_type: str = ""
    status: MembershipStatus = MembershipStatus.ACTIVE
    left: date | None = None
    staff: int = 0  # permanent headcount in LAST_FIGURE_YEAR
    insertion: int = 0  # insertion jobs (IAE), or supported workers (EA, ESAT), in LAST_FIGURE_YEAR
    turnover: int | None = None  # euros in LAST_FIGURE_YEAR; None for public bodies
    fee: int | None = None  # yearly fee in euros; None takes it from the scale (fee_for)

    @property
    def is_ess(self) -> bool:
        # Associations and cooperatives belong to the ESS by statute; companies through an approval.
        return self.legal_form in ESS_LEGAL_FORMS or self.esus_approved

    @property
    def esus_approved(self) -> bool:
        # IAE structures, EA and ESAT hold the ESUS approval by right (art. L3332-17-1 Code du travail).
        return self.iae_type not in ("", IaeType.GEIQ)

    @property
    def pays_fees(self) -> bool:
        return self.status != MembershipStatus.PROSPECT and self.joined is not None


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    member_key: str | None  # the organisation the user administers; None for a partner
    role: str  # as printed with the logins


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    created: bool


@dataclass
class SeedSummary:
    """What one seed function did: per kind of record, how many the demo holds and how many this run
    created (none on a re-run), and the accounts people can log in with."""

    total: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)

    def count(self, label: str, *, created: bool) -> None:
        self.total[label] += 1
        self.created[label] += int(created)
