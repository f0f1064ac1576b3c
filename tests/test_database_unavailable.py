"""The database unreachable: a static 503 page with Retry-After, never a traceback."""

import threading

import pytest
from django.db import connections
from django.test import Client

from archive import errors

pytestmark = pytest.mark.django_db


def get_with_database_down(path: str, monkeypatch, *, debug: bool, settings) -> object:
    """Request ``path`` in a new thread whose database connection cannot be opened.

    Connections are per thread, so the test's own connection is untouched; the
    new thread's connection is made from settings pointed at nowhere: a
    directory that does not exist for SQLite, a closed port for PostgreSQL.
    """
    settings.DEBUG = debug
    unreachable = dict(connections.settings["default"])
    if unreachable["ENGINE"].endswith("sqlite3"):
        unreachable["NAME"] = "/nonexistent-directory/archive.sqlite3"
        unreachable["TEST"] = {**unreachable.get("TEST", {}), "NAME": unreachable["NAME"]}
    else:
        unreachable.update(HOST="127.0.0.1", PORT="1", OPTIONS={"connect_timeout": 2})
    monkeypatch.setitem(connections.settings, "default", unreachable)
    result = {}

    def request() -> None:
        try:
            client = Client(raise_request_exception=False)
            # A signed-in editor: the admin looks the session up in the database.
            client.cookies["sessionid"] = "an-editors-session"
            result["response"] = client.get(path)
        finally:
            connections.close_all()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(60)
    return result["response"]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/", "/testimonies/?q=shelter", "/laws/", "/admin/testimonies/"])
def test_pages_answer_503_with_retry_after(path, debug, monkeypatch, settings):
    response = get_with_database_down(path, monkeypatch, debug=debug, settings=settings)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.ARCHIVE_RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "briefly unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.parametrize("path", ["/testimonies/?q=shelter", "/admin/testimonies/"])
def test_a_503_page_that_cannot_be_rendered_falls_back_to_a_plain_one(path, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/archive.css'")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = get_with_database_down(path, monkeypatch, debug=False, settings=settings)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.ARCHIVE_RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode() == errors.FALLBACK_DATABASE_DOWN_PAGE
    assert "briefly unavailable" in errors.FALLBACK_DATABASE_DOWN_PAGE


def test_the_site_answers_again_once_the_database_is_back(client):
    assert client.get("/").status_code == 200
