from django.urls import reverse


def test_api_answers_anonymous_clients_in_json_not_with_a_login_redirect(client, db):
    response = client.get("/api/v1/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"


def test_api_root_is_open_to_logged_in_users(client, plain_user):
    client.force_login(plain_user)

    assert client.get("/api/v1/", HTTP_ACCEPT="application/json").status_code == 200


def test_openapi_schema_is_published(client, db):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "PTCE platform API"


def test_interactive_docs_use_assets_served_by_the_platform(client, db):
    content = client.get(reverse("api:docs")).content.decode()

    assert "swagger-ui" in content
    assert "cdn" not in content.lower()
    assert "/static/drf_spectacular_sidecar/" in content


def test_api_errors_are_translated(client, db):
    response = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.json()["detail"] == "Informations d'authentification non fournies."
