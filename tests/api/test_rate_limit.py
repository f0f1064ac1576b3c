"""Past the configured rate the API answers 429 with Retry-After; the rate is a setting."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive.settings.env import env_rate

pytestmark = pytest.mark.django_db


def with_rate(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": rate}}


@pytest.mark.parametrize("limit", [2, 5])
def test_past_the_rate_429_with_retry_after(client, settings, limit):
    with_rate(settings, f"{limit}/minute")
    for _ in range(limit):
        assert client.get("/api/laws/").status_code == 200
    response = client.get("/api/violation-types/")  # one budget for every endpoint
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_each_client_address_has_its_own_budget(client, settings):
    with_rate(settings, "1/minute")
    assert client.get("/api/laws/").status_code == 200
    assert client.get("/api/laws/").status_code == 429
    assert client.get("/api/laws/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_html_site_is_not_counted(client, settings, db):
    with_rate(settings, "1/minute")
    for _ in range(3):
        assert client.get("/laws/").status_code == 200
    assert client.get("/api/laws/").status_code == 200


def test_the_default_rate_applies_without_settings_changes(client):
    from django.conf import settings

    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"].split("/")[0])
    assert 10 <= limit <= 10_000


def test_the_rate_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_RATE_LIMIT", "30/hour")
    assert env_rate("API_RATE_LIMIT", default="120/minute") == "30/hour"
    monkeypatch.delenv("API_RATE_LIMIT")
    assert env_rate("API_RATE_LIMIT", default="120/minute") == "120/minute"
    for bad in ["lots", "10/fortnight", "-1/minute", "10 per minute"]:
        monkeypatch.setenv("API_RATE_LIMIT", bad)
        with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT"):
            env_rate("API_RATE_LIMIT", default="120/minute")


def test_a_forged_forwarded_for_header_buys_no_fresh_allowance(client, settings):
    with_rate(settings, "1/minute")
    assert client.get("/api/laws/").status_code == 200
    response = client.get("/api/laws/", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert response.status_code == 429


def test_behind_a_proxy_the_forwarded_client_is_counted(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1/minute"},
        "NUM_PROXIES": 1,
    }
    assert client.get("/api/laws/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 200
    assert client.get("/api/laws/", HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 200
    assert client.get("/api/laws/", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
