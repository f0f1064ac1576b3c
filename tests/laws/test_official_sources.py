"""A law's "Official text" link goes to the official publisher, not to a copy elsewhere."""

import importlib
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from lxml import html

from laws.models import Law
from tests.support import factories

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "laws.json"
# The Office of the Council of State and the Royal Gazette.
THAI_OFFICIAL_HOSTS = {"www.krisdika.go.th", "ratchakitcha.soc.go.th"}
CODE_HOSTS = {"github.com", "gitlab.com", "bitbucket.org", "raw.githubusercontent.com"}

migration = importlib.import_module("laws.migrations.0004_official_text_sources")


def fixture_laws() -> list[dict]:
    return [row["fields"] for row in json.loads(FIXTURE.read_text()) if row["model"] == "laws.law"]


def test_every_thai_law_links_an_official_publisher():
    thai = [law for law in fixture_laws() if law["jurisdiction"] == Law.Jurisdiction.THAILAND]
    assert len(thai) >= 9
    for law in thai:
        assert urlsplit(law["source_url"]).hostname in THAI_OFFICIAL_HOSTS, law["slug"]


def test_no_law_links_a_code_hosting_site():
    for law in fixture_laws():
        assert urlsplit(law["source_url"]).hostname not in CODE_HOSTS, law["slug"]


def test_the_migration_moves_only_the_old_fixture_links():
    old = next(iter(migration.REPLACED))
    moved = factories.make_law(source_url=old)
    own = factories.make_law(source_url="https://example.org/an-editors-choice")
    migration.to_official_sources(apps, None)
    moved.refresh_from_db()
    own.refresh_from_db()
    assert moved.source_url == migration.OCS
    assert own.source_url == "https://example.org/an-editors-choice"


def test_the_law_page_links_it_as_the_official_text(client):
    law = factories.make_law(source_url="https://www.krisdika.go.th/")
    tree = html.fromstring(client.get(law.get_absolute_url()).content)
    (term,) = [dt for dt in tree.cssselect("dl.facts dt") if dt.text_content() == "Official text"]
    link = term.getnext().cssselect("a")[0]
    assert link.get("href") == "https://www.krisdika.go.th/"
