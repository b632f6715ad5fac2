from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.enums import MemberKind, MembershipStatus
from members.models import Member

from .factories import CollegeFactory, ContactFactory, FeeFactory, MemberFactory, SiteFactory, YearlyFigureFactory


@pytest.fixture
def private_data(member_org):
    """Data of member_org that only its users and the coordinator may see."""
    FeeFactory(member=member_org, amount_due=Decimal("480"), amount_paid=Decimal("0"), payment_reference="VIR-SECRET")
    YearlyFigureFactory(member=member_org, turnover=Decimal("987654"))
    ContactFactory(
        member=member_org, last_name="Discrète", consents_to_contact=False, email="discrete@recyclerie.test"
    )
    ContactFactory(
        member=member_org, last_name="Joignable", consents_to_contact=True, email="joignable@recyclerie.test"
    )
    return member_org


# --- Member list (coordinator) -----------------------------------------------------------------------


def test_coordinator_sees_the_member_list_with_counts_and_outstanding_fees(client, coordinator, private_data):
    MemberFactory(name="Prospect SAS", status=MembershipStatus.PROSPECT)
    client.force_login(coordinator)

    content = client.get(reverse("members:member_list")).content.decode()

    assert "2 membres" in content
    assert "Prospect SAS" in content
    assert "480,00 €" in content


def test_member_users_are_sent_from_the_registry_to_the_directory(client, member):
    client.force_login(member)

    assert client.get(reverse("members:member_list")).url == reverse("members:directory")


def test_member_list_filters_by_kind_college_commune_and_outstanding_fee(client, coordinator):
    college = CollegeFactory(name="Collectivités")
    commune = MemberFactory(name="Commune de Knutange", kind=MemberKind.LOCAL_AUTHORITY, college=college)
    SiteFactory(member=commune, commune="Knutange")
    owing = MemberFactory(name="Doit encore")
    FeeFactory(member=owing, amount_due=Decimal("100"))
    MemberFactory(name="Rien à voir")
    client.force_login(coordinator)

    def names(**query):
        return [member.name for member in client.get(reverse("members:member_list"), query).context["page"]]

    assert names(kind=MemberKind.LOCAL_AUTHORITY) == ["Commune de Knutange"]
    assert names(college=college.pk) == ["Commune de Knutange"]
    assert names(commune="knutange") == ["Commune de Knutange"]
    assert names(fee_outstanding="true") == ["Doit encore"]
    assert names(q="knut") == ["Commune de Knutange"]


def test_member_list_filters_by_naf_section(client, coordinator):
    MemberFactory(name="Collecteur", naf_code="38.11Z")
    MemberFactory(name="Informaticien", naf_code="62.01Z")
    client.force_login(coordinator)

    page = client.get(reverse("members:member_list"), {"naf_section": "E"}).context["page"]

    assert [member.name for member in page] == ["Collecteur"]


def test_member_list_sorts_by_column_both_ways(client, coordinator):
    for name in ["Bravo", "Alpha", "Charlie"]:
        MemberFactory(name=name)
    client.force_login(coordinator)

    ascending = client.get(reverse("members:member_list"), {"ordering": "name"}).context["page"]
    descending = client.get(reverse("members:member_list"), {"ordering": "-name"}).context["page"]

    assert [m.name for m in ascending] == ["Alpha", "Bravo", "Charlie"]
    assert [m.name for m in descending] == ["Charlie", "Bravo", "Alpha"]


def test_member_list_is_paginated_by_25(client, coordinator):
    MemberFactory.create_batch(30)
    client.force_login(coordinator)

    first = client.get(reverse("members:member_list")).context["page"]
    second = client.get(reverse("members:member_list"), {"page": 2}).context["page"]

    assert len(first) == 25 and len(second) == 5


def test_member_list_costs_the_same_number_of_queries_whatever_the_number_of_members(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    for member in MemberFactory.create_batch(3):
        SiteFactory(member=member)
        FeeFactory(member=member)
    client.get(reverse("members:member_list"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("members:member_list"))
    assert len(few.captured_queries) <= 10
    for member in MemberFactory.create_batch(20):
        SiteFactory(member=member)
        FeeFactory(member=member)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("members:member_list"))


# --- Member detail: who sees what --------------------------------------------------------------------


def test_coordinator_sees_fees_figures_and_every_contact(client, coordinator, private_data):
    client.force_login(coordinator)

    content = client.get(reverse("members:member_detail", args=[private_data.pk])).content.decode()

    assert "VIR-SECRET" in content
    assert "987" in content
    assert "discrete@recyclerie.test" in content


def test_member_sees_its_own_private_data(client, member, private_data):
    client.force_login(member)

    content = client.get(reverse("members:member_detail", args=[private_data.pk])).content.decode()

    assert "VIR-SECRET" in content
    assert "discrete@recyclerie.test" in content


def test_other_member_sees_only_public_fields_and_consenting_contacts(client, other_member, private_data):
    client.force_login(other_member)

    content = client.get(reverse("members:member_detail", args=[private_data.pk])).content.decode()

    assert "Recyclerie du Val de Fensch" in content
    assert "joignable@recyclerie.test" in content
    assert "discrete@recyclerie.test" not in content
    assert "VIR-SECRET" not in content
    assert "987" not in content
    assert "admin@recyclerie.test" not in content


def test_partner_reads_the_public_profile_only(client, partner, private_data):
    client.force_login(partner)

    content = client.get(reverse("members:member_detail", args=[private_data.pk])).content.decode()

    assert "VIR-SECRET" not in content and "discrete@recyclerie.test" not in content


def test_prospects_are_hidden_from_other_members_even_by_url(client, other_member):
    prospect = MemberFactory(status=MembershipStatus.PROSPECT)
    client.force_login(other_member)

    assert client.get(reverse("members:member_detail", args=[prospect.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_member_pages(client, member_org):
    response = client.get(reverse("members:member_detail", args=[member_org.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Edits --------------------------------------------------------------------------------------------


def test_member_admin_edits_its_profile_without_status_or_college_fields(client, member, member_org):
    client.force_login(member)
    form = client.get(reverse("members:member_edit", args=[member_org.pk])).context["form"]

    assert "status" not in form.fields and "college" not in form.fields
    response = client.post(
        reverse("members:member_edit", args=[member_org.pk]),
        {"name": "Recyclerie Fenschoise", "kind": member_org.kind, "legal_form": member_org.legal_form,
         "siren": member_org.siren, "naf_code": "38.32Z", "status": MembershipStatus.FORMER},
    )  # fmt: skip

    assert response.status_code == 302
    member_org.refresh_from_db()
    assert member_org.name == "Recyclerie Fenschoise"
    assert member_org.status == MembershipStatus.ACTIVE


def test_member_viewer_cannot_open_the_edit_form(client, member_viewer, member_org):
    client.force_login(member_viewer)

    assert client.get(reverse("members:member_edit", args=[member_org.pk])).status_code == 403


@pytest.mark.parametrize(
    "url_name", ["members:member_edit", "members:site_create", "members:contact_create", "members:figure_create"]
)
def test_other_member_cannot_edit_anything_of_another_member(client, other_member, member_org, url_name):
    client.force_login(other_member)

    assert client.get(reverse(url_name, args=[member_org.pk])).status_code == 403
    assert client.post(reverse(url_name, args=[member_org.pk]), {"name": "x"}).status_code == 403


def test_other_member_cannot_edit_a_site_by_guessing_its_url(client, other_member, member_org, other_member_org):
    site = member_org.sites.get()
    client.force_login(other_member)

    response = client.post(reverse("members:site_edit", args=[other_member_org.pk, site.pk]), {"name": "volé"})

    assert response.status_code == 404
    site.refresh_from_db()
    assert site.name != "volé"


def test_member_users_cannot_open_fee_history_archive_or_colleges(client, member, member_org):
    client.force_login(member)

    for url in [
        reverse("members:fee_create", args=[member_org.pk]),
        reverse("members:member_history", args=[member_org.pk]),
        reverse("members:member_archive", args=[member_org.pk]),
        reverse("members:college_list"),
        reverse("members:member_create"),
    ]:
        assert client.get(url).status_code == 403, url


def test_a_bad_siren_is_explained_in_french_and_nothing_is_saved(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("members:member_create"),
        {"name": "Nouvelle", "kind": MemberKind.OTHER, "legal_form": "association", "siren": "123456789",
         "status": MembershipStatus.PROSPECT},
    )  # fmt: skip

    assert response.status_code == 200
    assert "n&#x27;est pas un SIREN valide" in response.content.decode()
    assert not Member.objects.filter(name="Nouvelle").exists()


def test_coordinator_creates_a_member_then_its_main_site(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("members:member_create"),
        {"name": "Scierie du Plateau", "kind": MemberKind.CLASSIC_ENTERPRISE, "legal_form": "sarl",
         "siren": "732829320", "naf_code": "16.10A", "status": MembershipStatus.ACTIVE},
    )  # fmt: skip
    member = Member.objects.get(name="Scierie du Plateau")
    assert response.url == reverse("members:site_create", args=[member.pk])
    response = client.post(
        response.url,
        {"name": "Scierie", "siret": "73282932000074", "commune": "Ranguevaux", "postcode": "57700",
         "latitude": "49.296112", "longitude": "6.054321"},
    )  # fmt: skip

    assert response.status_code == 302
    assert member.sites.get().is_main


def test_site_form_refuses_a_siret_of_another_company(client, coordinator, member_org):
    client.force_login(coordinator)

    response = client.post(
        reverse("members:site_create", args=[member_org.pk]),
        {"name": "Annexe", "siret": "55210055400013", "commune": "Fameck", "latitude": "49.3", "longitude": "6.1"},
    )

    assert "ne correspond pas au SIREN du membre" in response.content.decode()
    assert member_org.sites.count() == 1


def test_coordinator_archives_a_member_instead_of_deleting_it(client, coordinator, member_org):
    client.force_login(coordinator)

    client.post(reverse("members:member_archive", args=[member_org.pk]))

    member_org.refresh_from_db()
    assert member_org.status == MembershipStatus.FORMER


def test_history_page_shows_who_changed_what(client, coordinator, member_org):
    client.force_login(coordinator)
    client.post(
        reverse("members:member_edit", args=[member_org.pk]),
        {"name": "Recyclerie renommée", "kind": member_org.kind, "legal_form": member_org.legal_form,
         "siren": member_org.siren, "naf_code": "", "status": member_org.status},
    )  # fmt: skip

    content = client.get(reverse("members:member_history", args=[member_org.pk])).content.decode()

    assert "Recyclerie du Val de Fensch → Recyclerie renommée" in content
    assert str(coordinator) in content


def test_invitation_flow_from_the_member_page(client, member, member_org, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:invitation_create", args=[member_org.pk]),
            {"email": "recrue@recyclerie.test", "member_role": "editor"},
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitation/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()

    response = client.post(
        path,
        {
            "first_name": "Inès",
            "last_name": "Martin",
            "password1": "une-phrase-longue",
            "password2": "une-phrase-longue",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("members:my_organisation")).url == reverse("members:member_detail", args=[member_org.pk])
    assert client.get(path).status_code == 410


def test_directory_lists_current_members_only(client, other_member, member_org):
    MemberFactory(name="Ancien membre", status=MembershipStatus.FORMER)
    client.force_login(other_member)

    names = [m.name for m in client.get(reverse("members:directory")).context["page"]]

    assert "Recyclerie du Val de Fensch" in names
    assert "Ancien membre" not in names


def test_directory_does_not_offer_coordinator_only_filters(client, other_member):
    client.force_login(other_member)

    form = client.get(reverse("members:directory")).context["filter"].form

    assert "fee_outstanding" not in form.fields and "status" not in form.fields


def test_directory_costs_a_bounded_number_of_queries(client, other_member, django_assert_max_num_queries):
    for member in MemberFactory.create_batch(25):
        SiteFactory(member=member)
    client.force_login(other_member)

    with django_assert_max_num_queries(8):
        client.get(reverse("members:directory"))


def test_member_pages_are_in_english_when_asked(client, coordinator, member_org):
    client.force_login(coordinator)

    content = client.get(reverse("members:member_detail", args=[member_org.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    french = client.get(reverse("members:member_detail", args=[member_org.pk])).content

    assert "Sites" in content.decode() and "Add a site" in content.decode()
    assert "Ajouter un site" in french.decode()
