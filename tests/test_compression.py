"""What the public reads is sent compressed; nothing carrying a secret is (BREACH)."""

import gzip
import json

import pytest
from django.conf import settings
from django.test import Client

from tests.support import factories

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


@pytest.fixture
def published():
    return factories.publish_testimony(title="Locked in for months", body="The shelter kept us.")


class PublicResponsesTests:
    @pytest.mark.parametrize(
        "path",
        ["/", "/testimonies/?q=shelter", "/laws/", "/api/testimonies/?q=shelter"],
    )
    def test_are_compressed_for_a_reader_who_accepts_it(self, path, published):
        client = Client()
        response = client.get(path, **GZIP)
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        plain = client.get(path)
        assert "Content-Encoding" not in plain
        if path.startswith("/api/"):
            assert json.loads(body(response)) == json.loads(plain.content)
        else:
            assert b"Locked in for months" in body(response) or path == "/laws/"

    def test_the_testimony_page_and_the_csv_export(self, published):
        client = Client()
        page = client.get(published.get_absolute_url(), **GZIP)
        assert page["Content-Encoding"] == "gzip"
        assert b"The shelter kept us." in body(page)
        export = client.get("/testimonies/export.csv?q=shelter", **GZIP)
        assert export.status_code == 200
        assert export["Content-Encoding"] == "gzip"
        assert b"Locked in for months" in body(export)

    def test_not_for_a_client_that_does_not_ask(self, published):
        response = Client().get("/testimonies/?q=shelter")
        assert "Content-Encoding" not in response
        assert b"Locked in for months" in response.content


class ResponsesWithSecretsTests:
    def test_a_page_with_a_csrf_token_is_sent_plain(self):
        response = Client().get("/admin/login/", **GZIP)
        assert response.status_code == 200
        assert b"csrfmiddlewaretoken" in response.content
        assert "Content-Encoding" not in response

    def test_nothing_is_compressed_for_a_signed_in_person(self, admin_client, published):
        assert settings.SESSION_COOKIE_NAME in admin_client.cookies
        for path in ["/", "/testimonies/?q=shelter", "/admin/"]:
            response = admin_client.get(path, **GZIP)
            assert response.status_code == 200, path
            assert "Content-Encoding" not in response, path

    def test_a_search_word_is_echoed_but_never_beside_a_token(self, published):
        """The search page echoes what the reader typed: it must hold no token at all."""
        response = Client().get("/testimonies/?q=csrfmiddlewaretoken", **GZIP)
        text = body(response).decode()
        assert 'name="csrfmiddlewaretoken"' not in text
        assert settings.CSRF_COOKIE_NAME not in response.cookies
