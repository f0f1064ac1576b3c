"""Clause versions in time: the law as it stood on the date of an account's events.

Run against the archive's own fixtures (``laws.json`` and ``law_versions.json``),
so the amendments tested are the ones readers are shown.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import call_command

from laws import versions
from laws.models import Clause, ClauseVersion, InForcePrecision
from laws.services import clause_versions_fill
from testimonies.models import TestimonyClause
from testimonies.search.index import current_generation
from tests.support import factories
from tests.support.sample_archive import HIDDEN_STATES, make_testimony_in_state

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DC = "{http://purl.org/dc/elements/1.1/}"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
DECREE_2019 = "Emergency Decree amending the Anti-Trafficking in Persons Act"
ATIPA_AS_ENACTED = "Anti-Trafficking in Persons Act, B.E. 2551 (2008)"


@pytest.fixture
def laws(db):
    for name in ("laws.json", "law_versions.json"):
        call_command("loaddata", str(FIXTURES / name), verbosity=0)
    clause_versions_fill()


def clause(law_slug: str, clause_slug: str) -> Clause:
    return Clause.objects.select_related("law").get(law__slug=law_slug, slug=clause_slug)


def published_link(clause: Clause, *, year: int, **fields) -> TestimonyClause:
    testimony = factories.make_testimony(year_of_events=year, **fields)
    link = TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="invoked")
    factories.publish_testimony(testimony)
    link.testimony.refresh_from_db()
    return link


def version_source(page: str) -> str:
    """The sentence naming the version a clause page shows."""
    return page.split('<p class="version-source">')[1].split("</p>")[0]


def boundaries() -> list[tuple[str, str, str, str, str]]:
    """(law, clause, day it changed, instrument before, instrument after) from the fixtures."""
    rows = json.loads((FIXTURES / "law_versions.json").read_text())
    names = {
        (row["fields"]["law"][0], row["fields"]["slug"]): row["fields"]["name"]
        for row in rows
        if row["model"] == "laws.amendment"
    }
    chains: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in rows:
        if row["model"] == "laws.clauseversion":
            fields = row["fields"]
            key = tuple(fields["clause"])
            name = names[tuple(fields["amendment"])]
            chains.setdefault(key, []).append((fields["valid_from"], name))
    found = []
    for (law_slug, clause_slug), chain in chains.items():
        chain.sort()
        for (_, before), (changed, after) in pairwise(chain):
            found.append((law_slug, clause_slug, changed, before, after))
    return found


class ReadingTests:
    """The pure part: which versions a period meets."""

    def chain(self) -> list[versions.Version]:
        common = {
            "clause_id": 1,
            "instrument_th": "",
            "instrument_kind": "act",
            "gazette_reference": "",
            "precision": "day",
            "wording_known": True,
            "summary_en": "",
            "summary_th": "",
            "official_text": "",
            "official_text_source": "",
        }
        return [
            versions.Version(
                number=1,
                valid_from=date(2008, 6, 5),
                valid_until=date(2015, 4, 29),
                instrument="A",
                **common,
            ),
            versions.Version(
                number=2, valid_from=date(2015, 4, 29), valid_until=None, instrument="B", **common
            ),
        ]

    def test_a_year_inside_one_version_reads_it_and_lists_the_later_ones(self):
        reading = versions.read_in_time(self.chain(), versions.Period.year(2010))
        assert reading.applies.instrument == "A"
        assert not reading.straddles
        assert [v.instrument for v in reading.later] == ["B"]

    def test_a_year_across_the_boundary_straddles(self):
        reading = versions.read_in_time(self.chain(), versions.Period.year(2015))
        assert (reading.applies.instrument, reading.straddles) == ("A", True)
        assert [v.instrument for v in reading.during] == ["B"]

    def test_a_period_before_the_first_version_finds_none_in_force(self):
        reading = versions.read_in_time(self.chain(), versions.Period.year(2007))
        assert reading.not_in_force
        assert len(reading.later) == 2

    def test_dated_periods_follow_the_precision(self):
        assert versions.dated_period(date(2011, 12, 1), "month") == versions.Period(
            date(2011, 12, 1), date(2011, 12, 31)
        )
        assert versions.dated_period(date(2011, 2, 1), "month").end == date(2011, 2, 28)
        assert versions.dated_period(date(2011, 3, 9), "day") == versions.Period(
            date(2011, 3, 9), date(2011, 3, 9)
        )


@pytest.mark.django_db
class FixtureTests:
    def test_every_clause_has_a_stored_version_after_loading(self, laws):
        assert not Clause.objects.filter(versions__isnull=True).exists()
        # A clause the fixtures do not amend starts on the day its law came into force.
        (only,) = ClauseVersion.objects.filter(clause=clause("atipa-2008", "s-29"))
        assert only.valid_from == date(2008, 6, 5)

    def test_a_law_lists_its_amendments_in_order(self, client, laws):
        page = client.get("/laws/penal-code/").content.decode()
        amendments = page.split('id="amendments-heading"')[1].split("</section>")[0]
        days = ["1957-01-01", "1997-11-17", "2017-03-21", "2019-05-28"]
        assert [amendments.index(day) for day in days] == sorted(
            amendments.index(day) for day in days
        )
        assert "Royal Gazette Vol. 114, Part 72 Kor, p. 42, 16 November 1997" in amendments

    def test_the_api_lists_the_same_amendments_as_the_law_page(self, client, laws):
        stored = [
            row
            for row in json.loads((FIXTURES / "law_versions.json").read_text())
            if row["model"] == "laws.amendment" and row["fields"]["law"] == ["atipa-2008"]
        ]
        data = client.get("/api/laws/atipa-2008/").json()
        listed = [
            (a["name"], a["gazette_reference"], a["in_force_from"], a["in_force_precision"]["code"])
            for a in data["amendments"]
        ]
        expected = sorted(
            (
                row["fields"]["name"],
                row["fields"].get("gazette_reference", ""),
                row["fields"]["in_force_from"],
                row["fields"].get("in_force_precision", "day"),
            )
            for row in stored
        )
        assert listed == sorted(expected, key=lambda amendment: amendment[2])
        assert data["amendments"][-1]["in_force_precision"] == {
            "code": "year",
            "label": str(InForcePrecision.YEAR.label),
        }
        page = client.get("/laws/atipa-2008/").content.decode()
        for name, *_ in listed:
            assert name in page

    def test_unknown_wording_is_said_plainly(self, client, laws):
        page = client.get("/laws/atipa-2008/s-6/").content.decode()
        assert DECREE_2019 in version_source(page)
        assert "The archive does not hold the wording of this version" in page
        # The history lists both versions, each with its own address.
        assert 'href="/laws/atipa-2008/s-6/@2008-06-05/"' in page
        assert 'href="/laws/atipa-2008/s-6/@2019-01-01/"' in page


@pytest.mark.django_db
class AccountInTimeTests:
    """A 2010 account linked to ATIPA s. 6 is read against the 2008 text, on every surface."""

    @pytest.fixture
    def link(self, laws):
        return published_link(clause("atipa-2008", "s-6"), year=2010, title="A raid in 2010")

    def test_the_testimony_page_reads_the_2008_text_and_notes_the_decree(self, client, link):
        page = client.get(link.testimony.get_absolute_url()).content.decode()
        assert 'href="/laws/atipa-2008/s-6/@2008-06-05/"' in page
        assert "Read against the text in force from 2008-06-05" in page
        assert "Amended since by" in page and DECREE_2019 in page
        assert "straddle" not in page

    def test_the_api_names_the_version(self, client, link):
        data = client.get(f"/api/testimonies/{link.testimony.public_id}/").json()
        (linked,) = data["clauses"]
        assert linked["version"]["valid_from"] == "2008-06-05"
        assert linked["version"]["instrument"] == ATIPA_AS_ENACTED
        assert linked["version"]["valid_to"] == "2018-12-31"
        assert linked["version"]["url"].endswith("/laws/atipa-2008/s-6/@2008-06-05/")
        assert [v["valid_from"] for v in linked["amended_since"]] == ["2019-01-01"]
        assert linked["straddles_amendment"] is False

    def test_the_csv_names_the_version(self, client, link):
        response = client.get("/testimonies/export.csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        (row,) = list(csv.DictReader(io.StringIO(body, newline="")))
        assert row["clause_versions"] == (f"ATIPA 2008, s. 6: from 2008-06-05 ({ATIPA_AS_ENACTED})")

    def test_oai_pmh_relates_the_record_to_the_version(self, client, link):
        response = client.get(
            "/oai",
            {
                "verb": "GetRecord",
                "identifier": f"oai:testserver:{link.testimony.public_id}",
                "metadataPrefix": "oai_dc",
            },
        )
        root = ET.fromstring(response.content)
        relations = [node.text for node in root.iter(f"{DC}relation")]
        assert relations == [
            f"ATIPA 2008, s. 6, text in force from 2008-06-05 ({ATIPA_AS_ENACTED}): "
            "http://testserver/laws/atipa-2008/s-6/@2008-06-05/"
        ]

    def test_the_clause_citation_as_at_a_day_names_the_version(self, client, link):
        bib = client.get("/laws/atipa-2008/s-6/@2010-06-01/cite.bib").content.decode()
        assert "as in force on 2010-06-01: text in force from 2008-06-05" in bib
        csl = client.get("/laws/atipa-2008/s-6/cite.json").json()
        assert "text in force from 2019" in json.dumps(csl)

    def test_a_raid_narrows_the_period_and_a_straddling_year_is_said(self, client, laws):
        section = clause("penal-code", "s-282")
        straddling = published_link(section, year=1997)
        page = client.get(straddling.testimony.get_absolute_url()).content.decode()
        assert "The events straddle an amendment" in page
        assert 'href="/laws/penal-code/s-282/@1997-11-17/"' in page
        # A raid in March 1997 places the events before the amendment of November.
        raid = factories.publish_incident(date="1997-03-01", date_precision="month")
        before = published_link(section, year=1997)
        raid.testimonies.add(before.testimony)
        page = client.get(before.testimony.get_absolute_url()).content.decode()
        assert "The events straddle an amendment" not in page
        assert "Read against the text in force from 1957-01-01" in page


@pytest.mark.django_db
class RaidInTimeTests:
    """A raid's page reads the clauses the authorities relied on as of the raid's date."""

    def raid_page(self, client, clause: Clause, *, day: date, precision: str = "day") -> str:
        incident = factories.make_incident(date=day, date_precision=precision)
        incident.clauses_invoked.add(clause)
        published = factories.publish_incident(incident)
        return client.get(published.get_absolute_url()).content.decode()

    def test_a_raid_of_2010_reads_the_2008_text_and_notes_the_decree(self, client, laws):
        page = self.raid_page(client, clause("atipa-2008", "s-6"), day=date(2010, 6, 1))
        assert 'href="/laws/atipa-2008/s-6/@2008-06-05/"' in page
        assert "Read against the text in force from 2008-06-05" in page
        assert "Amended since by" in page and DECREE_2019 in page
        assert "straddle" not in page

    def test_a_raid_after_the_decree_reads_its_text(self, client, laws):
        page = self.raid_page(client, clause("atipa-2008", "s-6"), day=date(2020, 2, 1))
        assert "Read against the text in force from 2019" in page
        assert "Amended since by" not in page

    def test_a_raid_known_only_by_its_month_or_year_may_straddle(self, client, laws):
        section = clause("penal-code", "s-282")
        changed = section.versions.order_by("-valid_from").first().valid_from
        by_year = self.raid_page(
            client, section, day=changed.replace(day=1, month=1), precision="year"
        )
        assert "The events straddle an amendment" in by_year
        by_day = self.raid_page(client, section, day=changed.replace(day=1, month=1))
        assert "straddle" not in by_day

    def test_a_raid_before_the_law_says_the_clause_was_not_in_force(self, client, laws):
        page = self.raid_page(client, clause("atipa-2008", "s-6"), day=date(2008, 3, 1))
        assert "This clause was not in force when these events took place." in page


class DatedAddressTests:
    @pytest.mark.parametrize(("law", "section", "changed", "before", "after"), boundaries())
    def test_each_side_of_each_boundary(self, client, laws, law, section, changed, before, after):
        day = date.fromisoformat(changed)
        on_the_day = client.get(f"/laws/{law}/{section}/@{day.isoformat()}/")
        day_before = client.get(f"/laws/{law}/{section}/@{(day - timedelta(days=1)).isoformat()}/")
        assert (on_the_day.status_code, day_before.status_code) == (200, 200)
        assert after in version_source(on_the_day.content.decode())
        assert before in version_source(day_before.content.decode())

    @pytest.mark.parametrize(
        ("path", "first_day"),
        [("atipa-2008/s-6", "2008-06-05"), ("penal-code/s-283-bis", "1997-11-17")],
    )
    def test_before_a_clause_came_into_force_is_a_404(self, client, laws, path, first_day):
        day = date.fromisoformat(first_day)
        assert client.get(f"/laws/{path}/@{first_day}/").status_code == 200
        assert client.get(f"/laws/{path}/@{day - timedelta(days=1)}/").status_code == 404

    @pytest.mark.parametrize(
        ("suffix", "status"),
        [
            ("@2010-02-30/", 400),
            ("@99999-01-01/", 400),
            ("@abc/", 400),
            ("@2010-6-1/", 400),
            ("@%00/", 400),
            ("@0001-01-01/", 404),
            ("?as_at=abc", 400),
            ("?as_at=9999-12-31", 302),
            ("compare/abc/2019-01-01/", 400),
            ("compare/2008-06-05/2012-01-01/", 404),
            ("@2010-06-01/cite.bib", 200),
            ("@2010-02-30/cite.bib", 400),
        ],
    )
    def test_hostile_dates_get_a_clear_answer(self, client, laws, suffix, status):
        response = client.get(f"/laws/atipa-2008/s-6/{suffix}")
        assert response.status_code == status

    def test_as_at_redirects_to_the_dated_address(self, client, laws):
        response = client.get("/laws/atipa-2008/s-6/?as_at=2010-06-01")
        assert response["Location"] == "/laws/atipa-2008/s-6/@2010-06-01/"

    def test_a_dated_page_of_an_amended_clause_says_so(self, client, laws):
        page = client.get("/laws/atipa-2008/s-6/@2010-06-01/").content.decode()
        assert ATIPA_AS_ENACTED in version_source(page)
        assert "has been amended since" in page
        assert "มาตรา ๖" in page  # the official text of 2008

    def test_two_versions_side_by_side(self, client, laws):
        response = client.get("/laws/penal-code/s-282/compare/1997-11-17/2017-03-21/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<del>" in page and "<ins>" in page
        assert "มาตรา ๒๘๒" in page


@pytest.mark.django_db
class AccountsByVersionTests:
    def test_only_public_accounts_are_listed_under_each_version(self, client, laws, reviewer):
        section = clause("atipa-2008", "s-6")
        published_link(section, year=2010, title="Published in 2010")
        published_link(section, year=2020, title="Published in 2020")
        incident = factories.make_incident()
        violation_type = factories.make_violation_type()
        for state in HIDDEN_STATES:
            make_testimony_in_state(
                state,
                mark=f"HIDDEN{state.upper()}",
                by=reviewer,
                clause=section,
                incident=incident,
                violation_type=violation_type,
                year_of_events=2010,
            )
        page = client.get("/laws/atipa-2008/s-6/").content.decode()
        history = page.split('id="versions-heading"')[1].split("</section>")[0]
        first, second = history.split('<li id="v-2019-01-01"')
        assert "Published in 2010" in first and "Published in 2020" not in first
        assert "Published in 2020" in second and "Published in 2010" not in second
        assert "HIDDEN" not in page


# Serialized rollback, as the other transactional tests: the database is left as
# the next test expects it (content types included).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_existing_clauses_a_first_version():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("laws", "0005_bilingual_names")])
    old = executor.loader.project_state([("laws", "0005_bilingual_names")]).apps
    law = old.get_model("laws", "Law").objects.create(
        slug="old-act",
        short_name="Old Act",
        title_en="Old Act",
        jurisdiction="th",
        kind="act",
        year=1999,
    )
    old.get_model("laws", "Clause").objects.create(
        law=law, slug="s-1", number="s. 1", heading="One", summary="What it says."
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    (version,) = ClauseVersion.objects.filter(clause__law__slug="old-act")
    assert (version.valid_from, version.summary) == (date(1999, 1, 1), "What it says.")
    assert version.amendment.in_force_precision == "year"


@pytest.mark.django_db
class CachedPagesTests:
    def test_correcting_an_amendment_reaches_the_cached_testimony_page(self, client, laws):
        link = published_link(clause("atipa-2008", "s-6"), year=2010)
        url = link.testimony.get_absolute_url()
        assert "Read against the text in force from 2008-06-05" in client.get(url).content.decode()
        before = current_generation()
        # A queryset update, as a script would write it: the database renews the token.
        ClauseVersion.objects.filter(clause=link.clause, valid_from=date(2008, 6, 5)).update(
            valid_from=date(2008, 6, 6)
        )
        assert current_generation() != before
        assert "Read against the text in force from 2008-06-06" in client.get(url).content.decode()


@pytest.mark.django_db
class AdminTests:
    def test_an_editor_adds_a_version_and_its_history_is_kept(self, admin_client, laws):
        section = clause("atipa-2008", "s-29")
        enacted = section.law.amendments.get(slug="as-enacted")
        assert admin_client.get("/admin/laws/clauseversion/add/").status_code == 200
        response = admin_client.post(
            "/admin/laws/clauseversion/add/",
            {
                "clause": section.pk,
                "amendment": enacted.pk,
                "valid_from": "2030-01-01",
                "wording_known": "on",
                "summary": "A later text.",
            },
        )
        assert response.status_code == 302
        added = ClauseVersion.objects.get(clause=section, valid_from=date(2030, 1, 1))
        assert added.history.count() == 1
        change = admin_client.get(f"/admin/laws/clause/{section.pk}/change/")
        assert change.status_code == 200 and "2030-01-01" in change.content.decode()
        assert admin_client.get("/admin/laws/amendment/").status_code == 200
