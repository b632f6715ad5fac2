"""The API key pages: the coordination's list and partner keys, a member admin's keys, shown once, revoked."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.api_key_services import api_key_issue
from members.api_keys import ApiKey, hash_key
from members.enums import ApiScope

from .factories import MemberFactory, UserFactory

LIST = reverse("members:api_key_list")
CREATE = reverse("members:api_key_create")


def issue(issued_by, user, name="Tableau de bord", scopes=(ApiScope.DIRECTORY_READ,)):
    key, _ = api_key_issue(issued_by=issued_by, user=user, name=name, scopes=list(scopes))
    return key


def logged_in(client, user):
    client.force_login(user)
    return client


def names(response):
    return {key.name for key in response.context["page"]}


@pytest.fixture
def keys(coordinator, partner, member, other_member):
    return {
        "partner": issue(coordinator, partner, "Observatoire régional"),
        "member": issue(member, member, "ERP de la recyclerie"),
        "other": issue(other_member, other_member, "GMAO de l'aciérie"),
    }


# --- Who may open the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member_viewer", "partner", "plain_user"])
@pytest.mark.parametrize("url", [LIST, CREATE])
def test_only_the_coordination_and_member_admins_manage_keys(client, request, role, url):
    assert logged_in(client, request.getfixturevalue(role)).get(url).status_code == 403


def test_the_navigation_offers_the_keys_to_coordinators_and_member_admins_only(client, coordinator, member, partner):
    for user, offered in ((coordinator, True), (member, True), (partner, False)):
        labels = [entry["label"] for entry in logged_in(client, user).get(reverse("home")).context["navigation"]]
        assert ("Clés d'API" in labels) is offered, user


# --- Lists -------------------------------------------------------------------------------------------------


def test_coordinator_lists_every_key_and_filters_by_owner(client, coordinator, keys, member_org):
    client.force_login(coordinator)

    assert names(client.get(LIST)) == {"Observatoire régional", "ERP de la recyclerie", "GMAO de l'aciérie"}
    assert names(client.get(LIST, {"owner": "partners"})) == {"Observatoire régional"}
    assert names(client.get(LIST, {"owner": member_org.pk})) == {"ERP de la recyclerie"}


def test_member_admin_lists_only_its_organisations_keys(client, member, keys):
    response = logged_in(client, member).get(LIST)

    assert names(response) == {"ERP de la recyclerie"}
    assert "Observatoire régional" not in response.content.decode()


def test_the_list_shows_the_start_of_each_key_and_its_last_use(client, member, keys):
    key = keys["member"]
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(hours=2))

    content = logged_in(client, member).get(LIST).content.decode()

    assert key.display_prefix in content
    assert "jamais" not in content


def test_the_key_list_costs_the_same_number_of_queries_whatever_the_number_of_keys(
    client, coordinator, partner, django_assert_num_queries
):
    def add_keys(count):
        for organisation in MemberFactory.create_batch(count):
            admin = UserFactory(member=organisation)
            issue(admin, admin)
            issue(coordinator, partner)

    client.force_login(coordinator)
    add_keys(2)
    client.get(LIST)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    assert len(few.captured_queries) <= 8
    add_keys(10)

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(LIST)


# --- Issuing -----------------------------------------------------------------------------------------------


def test_coordinator_issues_a_key_to_a_partner_and_sees_it_once(client, coordinator, partner):
    client.force_login(coordinator)

    response = client.post(
        CREATE, {"user": partner.pk, "name": "Observatoire", "scopes": ["directory:read", "stats:read"]}
    )

    key = ApiKey.objects.get()
    plaintext = response.context["plaintext"]
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert plaintext in response.content.decode()
    assert key.secret_hash == hash_key(plaintext) and key.user == partner and key.member is None
    assert plaintext not in client.get(LIST).content.decode()


def test_the_coordinator_chooses_among_partners_only(client, coordinator, partner, member):
    response = logged_in(client, coordinator).post(
        CREATE, {"user": member.pk, "name": "Essai", "scopes": ["directory:read"]}
    )

    assert response.context["form"].errors["user"]
    assert not ApiKey.objects.exists()
    assert list(response.context["form"].fields["user"].queryset) == [partner]


def test_partner_keys_are_not_offered_the_write_scope(client, coordinator):
    form = logged_in(client, coordinator).get(CREATE).context["form"]

    assert ApiScope.STREAMS_WRITE not in dict(form.fields["scopes"].choices)


def test_member_admin_issues_a_key_acting_as_itself_for_its_organisation(client, member, member_org):
    client.force_login(member)
    expires_on = timezone.localdate() + timedelta(days=30)

    response = client.post(
        CREATE, {"name": "ERP", "scopes": ["streams:read", "streams:write"], "expires_on": expires_on.isoformat()}
    )

    key = ApiKey.objects.get()
    assert response.status_code == 200
    assert key.user == member and key.member == member_org
    assert key.scopes == ["streams:read", "streams:write"]
    assert timezone.localtime(key.expires_at).date() == expires_on + timedelta(days=1)


def test_a_key_cannot_expire_in_the_past(client, member):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = logged_in(client, member).post(
        CREATE, {"name": "ERP", "scopes": ["streams:read"], "expires_on": yesterday.isoformat()}
    )

    assert response.context["form"].errors["expires_on"]
    assert not ApiKey.objects.exists()


def test_a_key_needs_at_least_one_scope(client, member):
    response = logged_in(client, member).post(CREATE, {"name": "ERP"})

    assert response.context["form"].errors["scopes"]


# --- Revoking ----------------------------------------------------------------------------------------------


def test_revoking_asks_for_confirmation_then_revokes(client, member, keys):
    key = keys["member"]
    client.force_login(member)
    url = reverse("members:api_key_revoke", args=[key.pk])

    assert "Révoquer la clé" in client.get(url).content.decode()
    key.refresh_from_db()
    assert not key.is_revoked

    response = client.post(url, follow=True)

    key.refresh_from_db()
    assert key.is_revoked
    assert "est révoquée" in response.content.decode()


def test_member_admin_cannot_revoke_another_organisations_key(client, member, keys):
    url = reverse("members:api_key_revoke", args=[keys["other"].pk])

    assert logged_in(client, member).post(url).status_code == 404
    assert not ApiKey.objects.get(pk=keys["other"].pk).is_revoked


def test_coordinator_revokes_a_members_key(client, coordinator, keys):
    logged_in(client, coordinator).post(reverse("members:api_key_revoke", args=[keys["other"].pk]))

    assert ApiKey.objects.get(pk=keys["other"].pk).is_revoked


def test_revoking_twice_says_so_instead_of_failing(client, coordinator, keys):
    url = reverse("members:api_key_revoke", args=[keys["partner"].pk])
    client.force_login(coordinator)
    client.post(url)

    response = client.post(url, follow=True)

    assert "déjà révoquée" in response.content.decode()


def test_key_pages_are_in_english_when_asked(client, coordinator, keys):
    client.force_login(coordinator)

    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en">' in response.content.decode()
