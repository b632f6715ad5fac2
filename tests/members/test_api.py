from decimal import Decimal

import pytest
from django.urls import reverse

from members.enums import MemberKind, MemberRole, MembershipStatus
from members.models import Member, Site

from .factories import (
    CollegeFactory,
    ContactFactory,
    FeeFactory,
    MemberFactory,
    SiteFactory,
    UserFactory,
    YearlyFigureFactory,
    valid_siren,
    valid_siret,
)

MEMBERS = "/api/v1/members/"
SITES = "/api/v1/sites/"
PRIVATE_MEMBER_FIELDS = {"outstanding_fees", "yearly_figures", "users", "joined_on", "left_on"}


def member_url(member, suffix=""):
    return f"{MEMBERS}{member.pk}/{suffix}"


def site_url(site):
    return f"{SITES}{site.pk}/"


def names(response):
    return [member["name"] for member in response.json()["results"]]


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def private_data(member_org):
    """What only the coordination and member_org's own users may read."""
    FeeFactory(member=member_org, amount_due=Decimal("300.00"), amount_paid=Decimal("100.00"))
    YearlyFigureFactory(member=member_org)
    ContactFactory(member=member_org, last_name="Public", consents_to_contact=True)
    ContactFactory(member=member_org, last_name="Discret", consents_to_contact=False)
    return member_org


@pytest.fixture
def directory(member_org, other_member_org):
    """member_org and other_member_org are active; one member of each other status."""
    return {
        "suspended": MemberFactory(name="Menuiserie suspendue", status=MembershipStatus.SUSPENDED),
        "prospect": MemberFactory(name="Prospect secret", status=MembershipStatus.PROSPECT, joined_on=None),
        "former": MemberFactory(name="Ancienne conserverie", status=MembershipStatus.FORMER),
    }


# --- Reading ----------------------------------------------------------------------------------------


def test_anonymous_clients_get_a_json_403_on_members_and_sites(client, member_org):
    for url in (MEMBERS, member_url(member_org), SITES):
        response = client.get(url)

        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"


def test_partner_sees_active_and_suspended_members_but_not_prospects_or_former_ones(client, partner, directory):
    response = logged_in(client, partner).get(MEMBERS)

    assert response.status_code == 200
    assert names(response) == ["Aciérie de Florange", "Menuiserie suspendue", "Recyclerie du Val de Fensch"]
    assert client.get(member_url(directory["prospect"])).status_code == 404
    assert client.get(member_url(directory["former"])).status_code == 404


def test_partner_never_gets_fees_figures_users_or_non_consenting_contacts(client, partner, private_data, member):
    listed = logged_in(client, partner).get(MEMBERS).json()["results"][0]
    detail = client.get(member_url(private_data)).json()

    for body in (listed, detail):
        assert not PRIVATE_MEMBER_FIELDS & set(body)
        assert [contact["name"] for contact in body["contacts"]] == [
            str(private_data.contacts.get(last_name="Public"))
        ]
        assert set(body["contacts"][0]) == {"name", "job_title", "email", "phone"}
        assert body["siren"] == "732829320"
        assert body["sites"][0]["siret"].startswith("732829320")
        assert "address" not in body["sites"][0]


def test_other_member_cannot_read_the_private_fields_of_member_org(client, other_member, private_data):
    response = logged_in(client, other_member).get(member_url(private_data))

    assert response.status_code == 200
    assert not PRIVATE_MEMBER_FIELDS & set(response.json())
    assert len(response.json()["contacts"]) == 1


def test_other_member_sees_its_own_organisation_in_full_next_to_public_ones(client, other_member, private_data):
    results = logged_in(client, other_member).get(MEMBERS).json()["results"]

    by_name = {member["name"]: member for member in results}
    assert set(by_name["Aciérie de Florange"]) >= PRIVATE_MEMBER_FIELDS
    assert not PRIVATE_MEMBER_FIELDS & set(by_name["Recyclerie du Val de Fensch"])


def test_member_users_read_their_own_fees_figures_users_and_every_contact(client, member_viewer, private_data):
    body = logged_in(client, member_viewer).get(member_url(private_data)).json()

    assert body["outstanding_fees"] == "200.00"
    assert body["yearly_figures"][0]["year"] == 2025
    assert [user["email"] for user in body["users"]] == ["lecteur@recyclerie.test"]
    assert {contact["last_name"] for contact in body["contacts"]} == {"Public", "Discret"}
    assert body["sites"][0]["address"] == "1 rue de l'Usine"


def test_member_users_still_see_their_own_organisation_when_it_is_a_prospect(client, member, member_org):
    Member.objects.filter(pk=member_org.pk).update(status=MembershipStatus.PROSPECT)

    response = logged_in(client, member).get(member_url(member_org))

    assert response.status_code == 200
    assert response.json()["status"] == "prospect"


def test_coordinator_sees_every_member_with_its_outstanding_fees(client, coordinator, directory, private_data):
    response = logged_in(client, coordinator).get(MEMBERS)

    assert len(names(response)) == 5
    by_name = {member["name"]: member for member in response.json()["results"]}
    assert by_name["Recyclerie du Val de Fensch"]["outstanding_fees"] == "200.00"
    assert by_name["Prospect secret"]["outstanding_fees"] == "0.00"


def test_partner_sees_sites_of_the_directory_without_their_street_address(client, partner, directory):
    SiteFactory(member=directory["prospect"], commune="Thionville")

    results = logged_in(client, partner).get(SITES).json()["results"]

    assert sorted(site["commune"] for site in results) == ["Florange", "Hayange"]
    assert "address" not in results[0]
    assert set(results[0]["member"]) == {"id", "name", "short_name"}


def test_member_users_see_the_street_address_of_their_own_sites_only(client, member, other_member_org):
    results = logged_in(client, member).get(SITES).json()["results"]

    by_commune = {site["commune"]: site for site in results}
    assert by_commune["Hayange"]["address"] == "1 rue de l'Usine"
    assert "address" not in by_commune["Florange"]


def test_coordinates_are_numbers(client, partner, member_org):
    site = logged_in(client, partner).get(SITES).json()["results"][0]

    assert site["latitude"] == pytest.approx(49.3298)
    assert site["longitude"] == pytest.approx(6.062)


# --- Writing members --------------------------------------------------------------------------------


def test_member_admin_renames_its_own_organisation(client, member, member_org):
    response = logged_in(client, member).patch(
        member_url(member_org), {"name": "Recyclerie de la Fensch"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Recyclerie de la Fensch"
    assert "outstanding_fees" in response.json()
    member_org.refresh_from_db()
    assert member_org.name == "Recyclerie de la Fensch"
    assert member_org.history.first().history_user == member


def test_member_admin_cannot_change_its_own_status_or_college(client, member, member_org):
    college = CollegeFactory(name="Collectivités")

    response = logged_in(client, member).patch(
        member_url(member_org),
        {"status": "suspended", "college": college.pk, "name": "Nouveau nom"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Ces champs sont réservés à la coordination : college, status"
    member_org.refresh_from_db()
    assert (member_org.status, member_org.college, member_org.name) == (
        MembershipStatus.ACTIVE,
        None,
        "Recyclerie du Val de Fensch",
    )


def test_member_viewer_cannot_patch_its_own_organisation(client, member_viewer, member_org):
    response = logged_in(client, member_viewer).patch(
        member_url(member_org), {"name": "Piraté"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Vous ne pouvez pas modifier ce membre."


def test_other_member_cannot_patch_member_org(client, other_member, member_org):
    response = logged_in(client, other_member).patch(
        member_url(member_org), {"name": "Piraté"}, content_type="application/json"
    )

    assert response.status_code == 403
    member_org.refresh_from_db()
    assert member_org.name == "Recyclerie du Val de Fensch"


def test_partner_cannot_create_or_patch_members(client, partner, member_org):
    logged_in(client, partner)

    created = client.post(
        MEMBERS, {"name": "X", "kind": "other", "legal_form": "other"}, content_type="application/json"
    )
    patched = client.patch(member_url(member_org), {"name": "X"}, content_type="application/json")

    assert created.status_code == 403
    assert created.json()["detail"] == "Seule la coordination du pôle peut faire cette action."
    assert patched.status_code == 403


def test_coordinator_creates_a_member_typing_siren_and_naf_code_with_spaces(client, coordinator):
    college = CollegeFactory(name="Entreprises de l'ESS")

    response = logged_in(client, coordinator).post(
        MEMBERS,
        {
            "name": "Ressourcerie des Deux Rives",
            "kind": MemberKind.ESS_ENTERPRISE,
            "legal_form": "association",
            "siren": "732 829 320",
            "naf_code": "3832z",
            "status": "active",
            "college": college.pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["siren"], body["naf_code"], body["college"]["name"]) == (
        "732829320",
        "38.32Z",
        "Entreprises de l'ESS",
    )
    assert body["joined_on"] is not None
    assert Member.objects.get(pk=body["id"]).history.first().history_user == coordinator


def test_coordinator_creating_a_member_with_a_bad_siren_gets_a_400_on_siren(client, coordinator):
    response = logged_in(client, coordinator).post(
        MEMBERS,
        {"name": "Erreur de saisie", "kind": "other", "legal_form": "other", "siren": "123456789"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "siren"
    assert "n'est pas un SIREN valide" in response.json()["errors"][0]["message"]
    assert not Member.objects.filter(name="Erreur de saisie").exists()


def test_coordinator_creating_a_member_without_a_name_gets_a_400_on_name(client, coordinator):
    response = logged_in(client, coordinator).post(
        MEMBERS, {"kind": "other", "legal_form": "other"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["name"]


def test_members_cannot_be_deleted_through_the_api(client, coordinator, member_org):
    response = logged_in(client, coordinator).delete(member_url(member_org))

    assert response.status_code == 405
    assert Member.objects.filter(pk=member_org.pk).exists()


def test_coordinator_archives_a_member_and_its_users_are_deactivated(client, coordinator, member, member_org):
    response = logged_in(client, coordinator).post(
        member_url(member_org, "archive/"), {"left_on": "2026-01-31"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["left_on"]) == ("former", "2026-01-31")
    member.refresh_from_db()
    assert not member.is_active


def test_member_admin_cannot_archive_its_own_organisation(client, member, member_org):
    response = logged_in(client, member).post(member_url(member_org, "archive/"), {}, content_type="application/json")

    assert response.status_code == 403
    member_org.refresh_from_db()
    assert member_org.status == MembershipStatus.ACTIVE


def test_member_users_read_the_history_of_their_own_organisation(client, member, member_org):
    logged_in(client, member).patch(
        member_url(member_org), {"short_name": "Recyclerie"}, content_type="application/json"
    )

    history = client.get(member_url(member_org, "history/")).json()

    assert history[0]["changed_fields"] == ["short_name"]
    assert history[0]["user"] == str(member)
    assert history[-1]["type"] == "+"


def test_other_members_and_partners_cannot_read_the_history_of_a_member(client, other_member, partner, member_org):
    for user in (other_member, partner):
        response = logged_in(client, user).get(member_url(member_org, "history/"))

        assert response.status_code == 403


# --- Writing sites ----------------------------------------------------------------------------------


def site_payload(member, **overrides):
    return {
        "member": member.pk,
        "name": "Entrepôt de Fameck",
        "siret": valid_siret(member.siren, 99),
        "address": "2 rue du Port",
        "postcode": "57290",
        "commune": "Fameck",
        "latitude": 49.3,
        "longitude": 6.1,
        **overrides,
    }


def test_member_admin_creates_and_moves_the_main_flag_to_a_new_site_of_its_own(client, member, member_org):
    response = logged_in(client, member).post(
        SITES, site_payload(member_org, is_main=True), content_type="application/json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_main"] is True
    assert list(member_org.sites.filter(is_main=True).values_list("commune", flat=True)) == ["Fameck"]


def test_member_admin_updates_a_site_of_its_own(client, member, member_org):
    site = member_org.sites.get()

    response = logged_in(client, member).patch(site_url(site), {"name": "Atelier"}, content_type="application/json")

    assert response.status_code == 200
    site.refresh_from_db()
    assert site.name == "Atelier"


def test_member_admin_cannot_create_or_update_sites_of_another_member(client, member, other_member_org):
    logged_in(client, member)

    created = client.post(SITES, site_payload(other_member_org), content_type="application/json")
    updated = client.patch(site_url(other_member_org.sites.get()), {"name": "Piraté"}, content_type="application/json")

    assert created.status_code == 403
    assert created.json()["detail"] == "Vous ne pouvez pas modifier ce membre."
    assert updated.status_code == 403
    assert not Site.objects.filter(commune="Fameck").exists()


def test_member_viewer_and_partner_cannot_create_sites(client, member_viewer, partner, member_org):
    for user in (member_viewer, partner):
        response = logged_in(client, user).post(SITES, site_payload(member_org), content_type="application/json")

        assert response.status_code == 403


def test_coordinator_creating_a_site_whose_siret_is_not_of_the_members_siren_gets_a_400_on_siret(
    client, coordinator, member_org
):
    response = logged_in(client, coordinator).post(
        SITES, site_payload(member_org, siret=valid_siret(valid_siren(4242), 1)), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "siret"
    assert "732829320" in response.json()["errors"][0]["message"]


def test_a_site_cannot_be_attached_to_a_member_the_user_cannot_see(client, member, directory):
    response = logged_in(client, member).post(
        SITES, site_payload(directory["prospect"]), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "member"


# --- Filters, ordering and pagination ----------------------------------------------------------------


@pytest.fixture
def varied_members(member_org, other_member_org):
    """member_org (25.62B, Hayange) and other_member_org (25.62B, Florange), plus three different ones."""
    college = CollegeFactory(name="Collectivités")
    town = MemberFactory(
        name="Commune de Yutz",
        kind=MemberKind.LOCAL_AUTHORITY,
        legal_form="commune",
        naf_code="84.11Z",
        college=college,
    )
    SiteFactory(member=town, commune="Yutz")
    recycler = MemberFactory(name="Tri Lorrain", kind=MemberKind.ESS_ENTERPRISE, naf_code="38.32Z", siren="552100554")
    FeeFactory(member=recycler)
    school = MemberFactory(name="Lycée des métiers", kind=MemberKind.TRAINING_BODY, naf_code="85.32Z")
    return {"town": town, "recycler": recycler, "school": school, "college": college}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=local_authority", ["Commune de Yutz"]),
        ("kind=local_authority&kind=training_body", ["Commune de Yutz", "Lycée des métiers"]),
        ("naf_section=E", ["Tri Lorrain"]),
        ("commune=yutz", ["Commune de Yutz"]),
        ("q=552100", ["Tri Lorrain"]),
        ("q=552 100 554", ["Tri Lorrain"]),
        ("q=lorrain", ["Tri Lorrain"]),
        ("q=Florange", ["Aciérie de Florange"]),
    ],
)
def test_partners_filter_the_directory(client, partner, varied_members, query, expected):
    response = logged_in(client, partner).get(f"{MEMBERS}?{query}")

    assert response.status_code == 200
    assert names(response) == expected


def test_members_are_filtered_by_college(client, partner, varied_members):
    response = logged_in(client, partner).get(f"{MEMBERS}?college={varied_members['college'].pk}")

    assert names(response) == ["Commune de Yutz"]


def test_coordinator_filters_members_with_outstanding_fees(client, coordinator, varied_members):
    logged_in(client, coordinator)

    assert names(client.get(f"{MEMBERS}?fee_outstanding=true")) == ["Tri Lorrain"]
    assert "Tri Lorrain" not in names(client.get(f"{MEMBERS}?fee_outstanding=false"))


def test_the_fee_filter_is_ignored_for_partners(client, partner, varied_members):
    response = logged_in(client, partner).get(f"{MEMBERS}?fee_outstanding=true")

    assert len(names(response)) == 5


def test_partners_cannot_rank_members_by_outstanding_fees(client, partner, member, varied_members):
    for user in (partner, member):
        response = logged_in(client, user).get(f"{MEMBERS}?ordering=-outstanding_fees")

        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "ordering"


def test_coordinator_ranks_members_by_outstanding_fees(client, coordinator, varied_members):
    response = logged_in(client, coordinator).get(f"{MEMBERS}?ordering=-outstanding_fees")

    assert names(response)[0] == "Tri Lorrain"


def test_members_are_ordered_by_name(client, partner, varied_members):
    logged_in(client, partner)

    ascending = names(client.get(f"{MEMBERS}?ordering=name"))
    descending = names(client.get(f"{MEMBERS}?ordering=-name"))

    assert ascending == sorted(ascending)
    assert descending == ascending[::-1]


def test_sites_are_filtered_by_commune_and_member(client, partner, varied_members, member_org):
    logged_in(client, partner)

    by_commune = client.get(f"{SITES}?commune=YUTZ").json()["results"]
    by_member = client.get(f"{SITES}?member={member_org.pk}").json()["results"]

    assert [site["member"]["name"] for site in by_commune] == ["Commune de Yutz"]
    assert [site["commune"] for site in by_member] == ["Hayange"]


def test_clients_get_at_most_200_members_per_page(client, coordinator):
    MemberFactory.create_batch(201, siren="")

    response = logged_in(client, coordinator).get(f"{MEMBERS}?page_size=1000")

    assert response.json()["count"] == 201
    assert len(response.json()["results"]) == 200


# --- Query counts -----------------------------------------------------------------------------------


@pytest.fixture
def fifty_members(db):
    """50 active members, each with a site, two contacts, a fee, a yearly figure and a user."""
    members = MemberFactory.create_batch(50)
    for organisation in members:
        SiteFactory(member=organisation)
        ContactFactory(member=organisation, consents_to_contact=True)
        ContactFactory(member=organisation)
        FeeFactory(member=organisation)
        YearlyFigureFactory(member=organisation)
        UserFactory(member=organisation, member_role=MemberRole.EDITOR)
    return members


# session, user, the user's permissions and groups' permissions, count, page, then one query per prefetch
# (sites, contacts, and for coordinators and member users yearly figures and users).
@pytest.mark.parametrize(("role", "queries"), [("coordinator", 10), ("partner", 8), ("member", 10)])
def test_the_member_list_takes_as_many_queries_for_5_as_for_50_members(
    client, django_assert_num_queries, fifty_members, role, queries, request
):
    user = (
        UserFactory(member=fifty_members[0], member_role=MemberRole.ADMIN)
        if role == "member"
        else request.getfixturevalue(role)
    )
    logged_in(client, user)

    for page_size in (5, 50):
        with django_assert_num_queries(queries):
            response = client.get(f"{MEMBERS}?page_size={page_size}")
        assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("role", ["coordinator", "partner"])
def test_the_site_list_takes_as_many_queries_for_5_as_for_50_sites(
    client, django_assert_num_queries, fifty_members, role, request
):
    logged_in(client, request.getfixturevalue(role))

    for page_size in (5, 50):
        with django_assert_num_queries(6):
            response = client.get(f"{SITES}?page_size={page_size}")
        assert len(response.json()["results"]) == page_size


# --- Documentation ----------------------------------------------------------------------------------


def test_the_openapi_schema_documents_members_and_sites(client, db):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert {"/api/v1/members/", "/api/v1/members/{id}/", "/api/v1/members/{id}/archive/", "/api/v1/sites/"} <= set(
        schema["paths"]
    )
    members = schema["paths"]["/api/v1/members/"]
    assert members["get"]["summary"] == "List members"
    assert "delete" not in schema["paths"]["/api/v1/members/{id}/"]
    assert {"kind", "college", "naf_section", "commune", "q", "ordering", "page_size"} <= {
        parameter["name"] for parameter in members["get"]["parameters"]
    }
    assert {"MemberPublic", "MemberFull", "SitePublic", "SiteFull"} <= set(schema["components"]["schemas"])
