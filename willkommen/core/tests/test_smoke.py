import pytest


@pytest.mark.django_db
def test_home_renders_for_authority(client, authority):
    response = client.get("/")
    assert response.status_code == 200
    assert authority.name in response.content.decode()


@pytest.mark.django_db
def test_prefix_selects_other_authority(client, authority, other_authority):
    response = client.get(f"/a/{other_authority.slug}/")
    assert response.status_code == 200
    assert other_authority.name in response.content.decode()
    assert authority.name not in response.content.decode()


@pytest.mark.django_db
def test_desk_requires_login(client, authority):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]


@pytest.mark.django_db
def test_desk_home_with_second_factor(staff_client):
    assert staff_client.get("/desk/").status_code == 200


@pytest.mark.django_db
def test_api_schema_and_docs_are_served(client, authority):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/catalogue/anliegen/" in body and "/api/v1/clients/persons/" in body
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_static_assets_are_vendored(client, authority):
    paths = [
        "/static/vendor/kern/kern-site.css",
        "/static/vendor/kern/subset/FiraSans-Regular-latin.woff2",
        "/static/vendor/htmx.min.js",
        "/static/core/willkommen.css",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
    # The build step puts compressed variants beside the vendored files; WhiteNoise serves them.
    response = client.get("/static/vendor/kern/kern-site.css", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.headers.get("Content-Encoding") == "br"
