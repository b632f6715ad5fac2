"""The demo pole: a PTCE of the Val de Fensch (Moselle), modelled on Florange 2ei.

The data is plain Python below; `seed_members` writes it through the services, with the coordinator as
actor, so the history shows who made each record. Every record has a natural key (SIREN, SIRET,
member + e-mail, member + year, e-mail for users): a record that already exists is left as it is, so the
seed can run at every `make run` without duplicating or resetting what someone changed in the demo.

Identifiers and "random" spreads are derived from each member's `key` by hashing, never from the order
of the list: adding a member never changes the SIREN or the coordinates of another. Company names,
domains (all under `.example`) and people are invented; communes, postcodes and the map are real.
"""

import hashlib
import unicodedata
from datetime import date
from decimal import Decimal

from django.db import transaction
from stdnum import luhn

from ..enums import LegalForm, MemberKind, MemberRole, MembershipStatus, RoleGroup
from ..models import College, Contact, Fee, Member, Site, User, YearlyFigure
from ..services import (
    college_save,
    contact_save,
    coordinator_ensure,
    fee_save,
    member_create,
    site_save,
    user_grant_role,
    yearly_figure_save,
)
from .data import COLLEGE_OF_KIND, COLLEGES, COMMUNES, MEMBERS, USERS
from .records import Commune, DemoLogin, DemoMember, SeedSummary

DEMO_PASSWORD = "demo-ptce-2026"
DEMO_COORDINATOR_EMAIL = "coordination@demo-ptce.fr"
FEE_YEARS = (2024, 2025, 2026)
FIGURE_YEARS = (2023, 2024, 2025)
LAST_FIGURE_YEAR = FIGURE_YEARS[-1]

# --- Seeding -----------------------------------------------------------------------------------------


def seed_coordinator() -> tuple[User, DemoLogin]:
    coordinator, created = coordinator_ensure(
        email=DEMO_COORDINATOR_EMAIL, password=DEMO_PASSWORD, first_name="Camille", last_name="Moreau"
    )
    return coordinator, DemoLogin(coordinator.email, DEMO_PASSWORD, "pole coordinator", created)


@transaction.atomic
def seed_members(*, actor: User) -> SeedSummary:
    """Colleges, members with their sites, contacts, fees and yearly figures, and the demo accounts."""
    summary = SeedSummary()
    colleges = _seed_colleges(actor=actor, summary=summary)
    existing = {m.siren: m for m in Member.objects.filter(siren__in=[demo_siren(m) for m in MEMBERS])}
    members = {}
    for demo in MEMBERS:
        member = existing.get(demo_siren(demo))
        summary.count("members", created=member is None)
        members[demo.key] = member or _create_member(demo, college=colleges[COLLEGE_OF_KIND[demo.kind]], actor=actor)
    _seed_sites(members, actor=actor, summary=summary)
    _seed_contacts(members, actor=actor, summary=summary)
    _seed_fees(members, actor=actor, summary=summary)
    _seed_figures(members, actor=actor, summary=summary)
    _seed_users(members, actor=actor, summary=summary)
    return summary


def _seed_colleges(*, actor: User, summary: SeedSummary) -> dict[str, College]:
    colleges = {college.name: college for college in College.objects.filter(name__in=[c[0] for c in COLLEGES])}
    for position, (name, description) in enumerate(COLLEGES, start=1):
        summary.count("colleges", created=name not in colleges)
        if name not in colleges:
            colleges[name] = college_save(
                actor=actor, college=College(), name=name, description=description, position=position
            )
    return colleges


def _create_member(demo: DemoMember, *, college: College, actor: User) -> Member:
    return member_create(
        actor=actor,
        name=demo.name,
        short_name=demo.short_name,
        kind=demo.kind,
        legal_form=demo.legal_form,
        is_ess=demo.is_ess,
        esus_approved=demo.esus_approved,
        iae_type=demo.iae_type,
        siren=demo_siren(demo),
        naf_code=demo.naf_code,
        website=f"https://www.{demo.domain}",
        description=demo.description,
        status=demo.status,
        joined_on=demo.joined,
        left_on=demo.left,
        college=college,
    )


def _seed_sites(members: dict[str, Member], *, actor: User, summary: SeedSummary) -> None:
    wanted = {demo_siret(demo, index): (demo, index) for demo in MEMBERS for index in range(len(demo.sites))}
    existing = set(Site.objects.filter(siret__in=wanted).values_list("siret", flat=True))
    for siret, (demo, index) in wanted.items():
        summary.count("sites", created=siret not in existing)
        if siret in existing:
            continue
        site = demo.sites[index]
        commune = COMMUNES[site.commune]
        latitude, longitude = demo_coordinates(siret, commune)
        # The service makes the first site of a member its main site.
        site_save(
            actor=actor,
            site=Site(member=members[demo.key]),
            name=site.name,
            siret=siret,
            address=site.address,
            postcode=commune.postcode,
            commune=site.commune,
            latitude=latitude,
            longitude=longitude,
        )


def _seed_contacts(members: dict[str, Member], *, actor: User, summary: SeedSummary) -> None:
    existing = {
        (member_id, email.lower())
        for member_id, email in Contact.objects.filter(member__in=members.values()).values_list("member", "email")
    }
    for demo in MEMBERS:
        member = members[demo.key]
        for person in demo.contacts:
            email = f"{_slug(person.first_name)}.{_slug(person.last_name)}@{demo.domain}"
            created = (member.pk, email) not in existing
            summary.count("contacts", created=created)
            if created:
                contact_save(
                    actor=actor,
                    contact=Contact(member=member),
                    first_name=person.first_name,
                    last_name=person.last_name,
                    job_title=person.job_title,
                    email=email,
                    phone=_phone(email),
                    consents_to_contact=person.consents,
                )


def _seed_fees(members: dict[str, Member], *, actor: User, summary: SeedSummary) -> None:
    existing = set(Fee.objects.filter(member__in=members.values()).values_list("member", "year"))
    for demo in MEMBERS:
        member = members[demo.key]
        for year in fee_years(demo):
            created = (member.pk, year) not in existing
            summary.count("fees", created=created)
            if created:
                due, paid, paid_on = fee_for(demo, year)
                fee_save(
                    actor=actor,
                    fee=Fee(member=member, year=year),
                    amount_due=due,
                    amount_paid=paid,
                    paid_on=paid_on,
                    payment_reference=f"VIR-{year}-{member.siren[-4:]}" if paid else "",
                )


def _seed_figures(members: dict[str, Member], *, actor: User, summary: SeedSummary) -> None:
    existing = set(YearlyFigure.objects.filter(member__in=members.values()).values_list("member", "year"))
    for demo in MEMBERS:
        if demo.status == MembershipStatus.PROSPECT:
            continue  # a prospect has not shared its figures yet
        member = members[demo.key]
        for year in FIGURE_YEARS:
            created = (member.pk, year) not in existing
            summary.count("yearly figures", created=created)
            if created:
                yearly_figure_save(
                    actor=actor, figure=YearlyFigure(member=member, year=year), **figures_for(demo, year)
                )


def _seed_users(members: dict[str, Member], *, actor: User, summary: SeedSummary) -> None:
    existing = {user.email: user for user in User.objects.filter(email__in=[u.email for u in USERS])}
    for demo in USERS:
        user = existing.get(demo.email)
        created = user is None
        summary.count("users", created=created)
        if created:
            member = members[demo.member_key] if demo.member_key else None
            user = User(
                email=demo.email,
                first_name=demo.first_name,
                last_name=demo.last_name,
                member=member,
                member_role=MemberRole.ADMIN if member else "",
            )
            user.set_password(DEMO_PASSWORD)
            user._history_user = actor
            user.full_clean()
            user.save()
        if demo.member_key is None:
            user_grant_role(user=user, role=RoleGroup.PARTNERS)
        summary.logins.append(DemoLogin(user.email, DEMO_PASSWORD, demo.role, created))


# --- Derived values: identifiers, places, money, figures ---------------------------------------------

# Public bodies get SIREN prefixes like the real ones (communes 21…, départements 22…, EPCI 24…).
SIREN_PREFIXES = {LegalForm.COMMUNE: "2157", LegalForm.DEPARTEMENT: "2257", LegalForm.EPCI: "2457"}


def _number(*parts: object) -> int:
    """A stable pseudo-random number: the same on every run and every machine."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def demo_siren(demo: DemoMember) -> str:
    number = _number(demo.key, "siren")
    prefix = SIREN_PREFIXES.get(demo.legal_form, str(3 + number % 7))
    width = 8 - len(prefix)
    body = prefix + f"{number // 10 % 10**width:0{width}d}"
    return body + luhn.calc_check_digit(body)


def demo_siret(demo: DemoMember, index: int) -> str:
    body = f"{demo_siren(demo)}{index + 1:04d}"
    return body + luhn.calc_check_digit(body)


def demo_coordinates(siret: str, commune: Commune) -> tuple[Decimal, Decimal]:
    """A point within about 400 m of the commune's centre, the same for a given SIRET."""
    number = _number(siret, "place")
    north = (number % 2001 - 1000) / 1000 * 0.0035  # 0.0035° of latitude ≈ 390 m
    east = (number // 2001 % 2001 - 1000) / 1000 * 0.005  # 0.005° of longitude ≈ 360 m at 49° N
    return Decimal(f"{commune.latitude + north:.6f}"), Decimal(f"{commune.longitude + east:.6f}")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.lower().replace("'", " ").split())


def _phone(email: str) -> str:
    # 03 53 48 xx xx is the range ARCEP keeps for fiction in the North-East: no real line rings.
    number = _number(email, "phone")
    return f"03 53 48 {number % 100:02d} {number // 100 % 100:02d}"


def fee_years(demo: DemoMember) -> list[int]:
    if not demo.pays_fees:
        return []
    last = demo.left.year if demo.left else FEE_YEARS[-1]
    return [year for year in FEE_YEARS if demo.joined.year <= year <= last]


def yearly_fee(demo: DemoMember) -> Decimal:
    """The fee scale voted by the pole's general assembly, by kind and size."""
    if demo.fee is not None:
        return Decimal(demo.fee)
    size = demo.staff + demo.insertion
    if demo.kind == MemberKind.CLASSIC_ENTERPRISE:
        return Decimal(300 if size < 10 else 600 if size < 50 else 1200 if size < 250 else 3000)
    if demo.kind == MemberKind.ESS_ENTERPRISE:
        return Decimal(100 if size < 10 else 250 if size < 50 else 500)
    if demo.kind == MemberKind.OTHER:
        return Decimal(50)
    return Decimal(500)


def fee_for(demo: DemoMember, year: int) -> tuple[Decimal, Decimal, date | None]:
    """(due, paid, paid on): old years are settled, a few late payers in 2025, more in the current year;
    a suspended member stopped paying in 2025."""
    due = yearly_fee(demo)
    bucket = _number(demo.key, "fee", year) % 10
    if demo.status == MembershipStatus.SUSPENDED and year >= 2025:
        share = Decimal(0)
    elif (year == 2025 and bucket == 0) or (year == 2026 and bucket == 2):
        share = Decimal("0.5")
    elif year == 2026 and bucket < 2:
        share = Decimal(0)
    else:
        share = Decimal(1)
    paid = (due * share).quantize(Decimal("0.01"))
    number = _number(demo.key, "paid", year)
    paid_on = max(date(year, 2 + number % 5, 1 + number // 5 % 28), demo.joined) if paid else None
    return due, paid, paid_on


def figures_for(demo: DemoMember, year: int) -> dict:
    """Headcounts and turnover of a year, grown back from LAST_FIGURE_YEAR at a steady rate per member."""
    number = _number(demo.key, "figures")
    growth = 1 + (number % 11 - 3) / 100  # from -3 % to +7 % a year
    factor = growth ** (year - LAST_FIGURE_YEAR)
    staff = max(round(demo.staff * factor), 1 if demo.staff else 0)
    insertion = max(round(demo.insertion * factor), 1 if demo.insertion else 0)
    # Insertion contracts are mostly 26 h a week; permanent staff are mostly full-time.
    permanent_ratio = Decimal("0.86") + Decimal(number // 11 % 10) / 100
    return {
        "permanent_headcount": staff,
        "permanent_fte": (staff * permanent_ratio).quantize(Decimal("0.01")),
        "insertion_headcount": insertion,
        "insertion_fte": (insertion * Decimal("0.74")).quantize(Decimal("0.01")),
        "turnover": None if demo.turnover is None else Decimal(round(demo.turnover * factor, -3)),
    }
