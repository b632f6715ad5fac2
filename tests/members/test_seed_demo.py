import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from members import naf
from members.demo import DEMO_COORDINATOR_EMAIL, MEMBERS, demo_siren
from members.enums import IaeType, MemberKind, MemberRole, MembershipStatus
from members.models import College, Contact, Fee, Member, Site, User, YearlyFigure

COUNTED_MODELS = (College, Member, Site, Contact, Fee, YearlyFigure, User)
VALLEY_LATITUDES = (49.2, 49.45)
VALLEY_LONGITUDES = (5.95, 6.25)


def seed_demo() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The seed takes a second or two: it runs once for this module, in a transaction rolled back at the
    end. Each test still runs in its own savepoint (the `db` fixture), so what a test changes is undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


@pytest.fixture
def seed_output(seeded_once, db):
    return seeded_once


def printed_logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+@\S+) / (\S+) — ", output, flags=re.MULTILINE))


def record_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED_MODELS}
    counts |= {f"history of {model.__name__}": model.history.count() for model in COUNTED_MODELS}
    return counts


# --- The data alone, without a database -------------------------------------------------------------


def test_demo_members_have_distinct_keys_sirens_and_names():
    assert len({m.key for m in MEMBERS}) == len(MEMBERS)
    assert len({demo_siren(m) for m in MEMBERS}) == len(MEMBERS)
    assert len({m.name for m in MEMBERS}) == len(MEMBERS)


def test_demo_websites_and_emails_use_only_reserved_example_domains():
    assert all(m.domain.endswith(".example") for m in MEMBERS)


# --- What the seed writes ---------------------------------------------------------------------------


def test_seed_builds_about_sixty_members_of_every_kind(seed_output):
    assert 55 <= Member.objects.count() <= 70
    assert set(Member.objects.values_list("kind", flat=True)) == set(MemberKind.values)
    assert set(Member.objects.values_list("status", flat=True)) == set(MembershipStatus.values)
    assert Member.objects.filter(status=MembershipStatus.ACTIVE).count() > Member.objects.count() * 0.8


def test_seed_has_every_kind_of_insertion_structure_and_inclusive_employer(seed_output):
    assert set(Member.objects.exclude(iae_type="").values_list("iae_type", flat=True)) == set(IaeType.values)


def test_seed_creates_the_five_colleges_and_puts_every_member_in_one(seed_output):
    assert list(College.objects.values_list("name", flat=True)) == [
        "Entreprises de l'ESS",
        "Entreprises classiques",
        "Collectivités territoriales",
        "Recherche et formation",
        "Citoyens et réseaux",
    ]
    assert not Member.objects.filter(college__isnull=True).exists()
    assert set(Member.objects.filter(kind=MemberKind.LOCAL_AUTHORITY).values_list("college__name", flat=True)) == {
        "Collectivités territoriales"
    }


def test_every_siren_is_valid_and_every_naf_code_is_in_the_nomenclature(seed_output):
    for siren, naf_code in Member.objects.values_list("siren", "naf_code"):
        assert stdnum_siren.is_valid(siren), siren
        assert naf.label(naf_code) is not None, naf_code


def test_every_siret_is_valid_and_starts_with_its_members_siren(seed_output):
    for site in Site.objects.select_related("member"):
        assert stdnum_siret.is_valid(site.siret), site.siret
        assert site.siret.startswith(site.member.siren), site


def test_every_member_has_exactly_one_main_site_in_the_valley_except_the_metz_lab(seed_output):
    assert not Member.objects.annotate(mains=Count("sites", filter=Q(sites__is_main=True))).exclude(mains=1).exists()
    outside = Site.objects.exclude(
        latitude__range=VALLEY_LATITUDES, longitude__range=VALLEY_LONGITUDES
    ).select_related("member")
    assert [(site.commune, site.member.kind) for site in outside] == [("Metz", MemberKind.RESEARCH_CENTRE)]
    assert Site.objects.filter(commune="Hayange").exclude(postcode="57700").count() == 0


def test_every_member_has_contacts_and_some_consent_to_be_contacted(seed_output):
    assert not Member.objects.filter(contacts__isnull=True).exists()
    assert Contact.objects.filter(consents_to_contact=True).exists()
    assert Contact.objects.filter(consents_to_contact=False).exists()


def test_fees_cover_2024_to_2026_with_some_unpaid_or_partly_paid(seed_output):
    assert set(Fee.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert not Fee.objects.filter(member__status=MembershipStatus.PROSPECT).exists()
    this_year = Fee.objects.filter(year=2026)
    assert this_year.filter(amount_paid=0).exists()
    assert this_year.filter(amount_paid__gt=0, amount_paid__lt=F("amount_due")).exists()
    assert this_year.filter(amount_paid=F("amount_due")).count() > this_year.count() / 2
    assert not Fee.objects.filter(member__status=MembershipStatus.SUSPENDED, year=2026, amount_paid__gt=0).exists()


def test_yearly_figures_cover_2023_to_2025_with_insertion_jobs_in_insertion_structures(seed_output):
    assert set(YearlyFigure.objects.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert not YearlyFigure.objects.filter(member__iae_type=IaeType.ACI, insertion_headcount=0).exists()
    assert not YearlyFigure.objects.filter(member__iae_type="", insertion_headcount__gt=0).exists()


def test_member_users_administer_their_organisation_and_the_partner_has_the_partner_role(seed_output):
    recyclerie = User.objects.get(email="recyclerie@demo-ptce.fr")
    acierie = User.objects.get(email="acierie@demo-ptce.fr")
    partner = User.objects.get(email="ademe@demo-ptce.fr")
    assert (recyclerie.member.iae_type, recyclerie.member_role) == (IaeType.ACI, MemberRole.ADMIN)
    assert (acierie.member.kind, acierie.member_role) == (MemberKind.CLASSIC_ENTERPRISE, MemberRole.ADMIN)
    assert partner.is_partner and partner.member is None


def test_history_names_the_coordinator_as_author_of_every_record(seed_output):
    coordinator = User.objects.get(email=DEMO_COORDINATOR_EMAIL)
    for model in (College, Member, Site, Contact, Fee, YearlyFigure):
        assert model.history.filter(history_user=coordinator).count() == model.objects.count(), model
    assert User.history.filter(history_user=coordinator).count() == 3


# --- Running it -------------------------------------------------------------------------------------


def test_running_the_seed_twice_creates_and_changes_nothing(seed_output):
    before = record_counts()
    second_output = seed_demo()
    assert record_counts() == before
    assert "(0 created)" in second_output and not re.search(r"\([1-9]\d* created\)", second_output)
    assert Member.objects.values("siren").annotate(n=Count("id")).filter(n__gt=1).count() == 0


def test_the_output_lists_every_login_with_the_demo_password(seed_output):
    assert printed_logins(seed_output) == {
        "coordination@demo-ptce.fr": "demo-ptce-2026",
        "recyclerie@demo-ptce.fr": "demo-ptce-2026",
        "acierie@demo-ptce.fr": "demo-ptce-2026",
        "ademe@demo-ptce.fr": "demo-ptce-2026",
    }
    assert f"members: {Member.objects.count()} ({Member.objects.count()} created)" in seed_output


def test_the_coordinator_logs_in_with_the_printed_password(seed_output, client):
    password = printed_logins(seed_output)[DEMO_COORDINATOR_EMAIL]
    response = client.post(reverse("login"), {"username": DEMO_COORDINATOR_EMAIL, "password": password})
    assert response.status_code == 302
    user = User.objects.get(email=DEMO_COORDINATOR_EMAIL)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.is_coordinator


def test_a_rerun_keeps_a_password_someone_changed(seed_output):
    user = User.objects.get(email="recyclerie@demo-ptce.fr")
    user.set_password("un-autre-mot-de-passe")
    user.save()
    seed_demo()
    user.refresh_from_db()
    assert user.check_password("un-autre-mot-de-passe")


def test_the_seed_refuses_to_run_in_production(seed_output, settings):
    User.objects.filter(email=DEMO_COORDINATOR_EMAIL).delete()  # a run that went ahead would recreate it
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed_demo()
    assert not User.objects.filter(email=DEMO_COORDINATOR_EMAIL).exists()
