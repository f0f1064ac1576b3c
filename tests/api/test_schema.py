"""Schemathesis drives every operation of the published OpenAPI schema in-process.

Requests go through the real WSGI application to the test database holding
the sample archive and the hidden records: no response may be a 5xx, and
every response must conform to the schema (status code, content type,
headers and body).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from archive.wsgi import application

pytestmark = pytest.mark.django_db


def _published_schema() -> dict:
    """The schema /api/schema/ serves, built without a request (no database needed)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


# Loaded at collection: schemathesis's fixture-based loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(_published_schema())
schema.app = application


@pytest.fixture
def connection_kept_open():
    """Keep the test's transaction across requests, as Django's test client does.

    Django's WSGI handler closes the database connection after each request
    when it is inside a transaction (the test's), which would end the test's
    transaction on PostgreSQL and fail every request after the first.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, archive, unthrottled, connection_kept_open):
    # Left out: "a schema-valid request is accepted". A well-formed page number
    # past the last page, or a well-formed code no clause has, is a 400 by design.
    # Asked uncompressed: the WSGI client hands schemathesis the bytes as sent, and
    # public answers are gzipped for clients that accept it (tests/test_compression.py).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )


def test_the_schema_served_is_the_one_tested(client, db):
    assert client.get("/api/schema/?format=json").json() == _published_schema()


def test_the_schema_lists_every_endpoint(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert set(paths) == {
        "/api/testimonies/",
        "/api/testimonies/{public_id}/",
        "/api/incidents/",
        "/api/incidents/{public_id}/",
        "/api/laws/",
        "/api/laws/{law_slug}/",
        "/api/clauses/",
        "/api/clauses/{law_slug}/{clause_slug}/",
        "/api/violation-types/",
        "/api/violation-types/{code}/",
    }
    search = {p["name"] for p in paths["/api/testimonies/"]["get"]["parameters"]}
    assert {
        "q",
        "sort",
        "page",
        "year_from",
        "year_to",
        "expand",
        "nationality",
        "clause",
    } <= search
