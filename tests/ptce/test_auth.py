import pytest
from django.core import mail
from django.urls import reverse

from ..members.factories import DEFAULT_PASSWORD

PUBLIC_PAGES = ["login", "password_reset", "password_reset_done", "password_reset_complete"]
PRIVATE_PAGES = ["home", "password_change", "password_change_done", "admin:index"]


@pytest.mark.parametrize("page", PRIVATE_PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page_from_any_private_page(client, db, page):
    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") if page != "admin:index" else "/admin/login/")


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_login_and_password_reset_pages_are_open_to_anonymous_visitors(client, db, page):
    assert client.get(reverse(page)).status_code == 200


def test_user_logs_in_with_email_and_password_and_lands_on_home(client, plain_user):
    response = client.post(reverse("login"), {"username": plain_user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_is_case_insensitive_on_the_email(client, plain_user):
    response = client.post(reverse("login"), {"username": plain_user.email.upper(), "password": DEFAULT_PASSWORD})

    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_french_message(client, plain_user):
    response = client.post(reverse("login"), {"username": plain_user.email, "password": "faux"})

    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()


def test_inactive_user_cannot_log_in(client, plain_user):
    plain_user.is_active = False
    plain_user.save()

    response = client.post(reverse("login"), {"username": plain_user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, plain_user):
    client.force_login(plain_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_an_email_with_a_one_time_link(client, plain_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": plain_user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [plain_user.email]
    assert "mot de passe" in message.subject
    assert "/accounts/password/reset/" in message.body


def test_password_reset_link_lets_the_user_choose_a_new_password(
    client, plain_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": plain_user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]

    form_page = client.get("/" + path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un-nouveau-mot-de-passe", "new_password2": "un-nouveau-mot-de-passe"},
    )

    assert response.status_code == 302
    plain_user.refresh_from_db()
    assert plain_user.check_password("un-nouveau-mot-de-passe")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "inconnu@nulle-part.test"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_requires_the_old_password(client, plain_user):
    client.force_login(plain_user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "faux",
            "new_password1": "un-nouveau-mot-de-passe",
            "new_password2": "un-nouveau-mot-de-passe",
        },
    )

    assert response.status_code == 200
    plain_user.refresh_from_db()
    assert plain_user.check_password(DEFAULT_PASSWORD)


def test_login_page_is_in_french_by_default(client, db):
    content = client.get(reverse("login")).content.decode()

    assert '<html lang="fr">' in content
    assert "Connexion" in content
    assert "Mot de passe oublié ?" in content


def test_login_page_is_in_english_when_the_browser_asks_for_it(client, db):
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in content
    assert "Log in" in content
    assert "Forgot your password?" in content


def test_language_switch_works_for_anonymous_visitors(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert response.status_code == 302
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()


def test_coordinator_and_partner_roles_come_from_their_groups(coordinator, partner, plain_user):
    assert coordinator.is_coordinator and not coordinator.is_partner
    assert partner.is_partner and not partner.is_coordinator
    assert not plain_user.is_coordinator and not plain_user.is_partner
