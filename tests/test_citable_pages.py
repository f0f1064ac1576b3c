"""Citing a page as a reader does: its "Cite this" text, its downloads and its meta tags.

Each download is fetched from the archive and read with citation-js, as a
reference manager would; for a testimony, the APA text the page shows must be
what citation-js renders from every one of them.
"""

import json
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from archive import licences
from testimonies import services
from tests.support import citejs, factories

pytestmark = pytest.mark.django_db

FORMATS = ["bib", "ris", "json"]
CONTENT_TYPES = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "json": "application/vnd.citationstyles.csl+json",
}


class Head(HTMLParser):
    """The <meta name=...> tags and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[dict] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name"):
            self.meta.setdefault(attributes["name"], []).append(attributes.get("content") or "")
        self._in_json_ld = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))
            self._in_json_ld = False


def head_of(response) -> Head:
    head = Head()
    head.feed(response.content.decode())
    return head


def downloads(client, page: str, query: dict | None = None) -> dict[str, str]:
    """Each citation file of the page at ``page``, checked to be served as its format."""
    files = {}
    for fmt in FORMATS:
        response = client.get(f"{page}cite.{fmt}", query or {})
        assert response.status_code == 200, (page, fmt)
        assert response["Content-Type"].startswith(CONTENT_TYPES[fmt])
        assert response["Content-Disposition"].startswith("attachment; filename=")
        files[fmt] = response.content.decode()
    return files


def read_all(files: dict[str, str]) -> dict[str, citejs.Reading]:
    readings = citejs.read_many(list(files.items()))
    return dict(zip(files, readings, strict=True))


@pytest.fixture
def corrected(reviewer):
    testimony = factories.publish_testimony(
        title="What the shelter did", narrator_pseudonym="Ma Ei", body="One.\n\nTwo.\n\nThree."
    )
    testimony.title_source = "What the shelter did to us"
    testimony.save()
    return services.publish(record=testimony, by=reviewer, correction_note="Title corrected")


class TestimonyCitationTests:
    @pytest.mark.parametrize("suffix,query", [("", {}), ("", {"paragraph": "2"}), ("v1/", {})])
    def test_the_page_apa_is_what_citation_js_reads_from_each_download(
        self, client, corrected, suffix, query
    ):
        page = corrected.get_absolute_url() + suffix
        response = client.get(page, query)
        styles = {key: text for key, _label, text in response.context["citation_styles"]}
        readings = read_all(downloads(client, page, query))
        for fmt, reading in readings.items():
            assert reading.apa == [styles["apa"]], fmt
        items = {fmt: citejs.comparable(reading.items[0]) for fmt, reading in readings.items()}
        assert items["bib"] == items["ris"] == items["json"]
        version = 1 if suffix else 2
        assert items["json"]["type"] == "document"
        assert items["json"]["genre"] == f"Testimony {corrected.public_id}"
        assert items["json"]["version"] == str(version)
        today = timezone.localdate()
        assert items["json"]["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
        published = timezone.localdate(corrected.versions.get(number=version).published_at)
        assert items["json"]["issued"] == {
            "date-parts": [[published.year, published.month, published.day]]
        }
        # The shown text is the one a reader copies: the version's own address, anchored.
        anchor = f"#p{query['paragraph']}" if query else ""
        assert styles["apa"].endswith(f"{corrected.get_absolute_url()}v{version}/{anchor}")

    def test_the_page_names_its_full_text_and_abstract_and_licence(self, client, corrected):
        page = corrected.get_absolute_url()
        head = head_of(client.get(page))
        assert head.meta["citation_abstract_html_url"] == [f"http://testserver{page}"]
        assert head.meta["citation_fulltext_html_url"] == [f"http://testserver{page}v2/"]
        assert "citation_technical_report_number" not in head.meta
        assert head.meta["DC.identifier"] == [corrected.public_id]
        assert head.meta["DC.rights"] == [licences.TEXTS.url]
        (data,) = head.json_ld
        assert data["license"] == licences.TEXTS.url
        assert data["@type"] == "Article"

    def test_the_csl_json_download_names_the_text_licence(self, client, corrected):
        (item,) = json.loads(client.get(corrected.get_absolute_url() + "cite.json").content)
        assert item["license"] == licences.TEXTS.url


@pytest.fixture
def clause():
    law = factories.make_law(
        slug="atipa-2008",
        short_name="ATIPA 2008",
        title_en="Anti-Trafficking in Persons Act, B.E. 2551 (2008)",
        year=2008,
        summary="Defines trafficking and sets out protection.",
    )
    return factories.make_clause(law=law, slug="s-29", number="s. 29", summary="Shelter.")


class LegislationCitationTests:
    @pytest.mark.parametrize("which", ["law", "clause"])
    def test_law_and_clause_pages_are_cited_as_legislation(self, client, clause, which):
        record = clause if which == "clause" else clause.law
        page = record.get_absolute_url()
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        for fmt in FORMATS:
            assert f'href="{page}cite.{fmt}"' in html
        title = "Anti-Trafficking in Persons Act, B.E. 2551" + (
            ", s. 29" if which == "clause" else ""
        )
        head = head_of(response)
        assert head.meta["citation_title"] == [title]
        assert head.meta["citation_date"] == ["2008"]
        assert head.meta["DC.rights"] == [licences.DATA.url]
        (data,) = head.json_ld
        assert data["@type"] == "Legislation"
        assert data["name"] == title
        assert data["license"] == licences.DATA.url
        readings = read_all(downloads(client, page))
        items = {fmt: citejs.comparable(reading.items[0]) for fmt, reading in readings.items()}
        # citation-js folds a STAT record's access date into its enactment date
        # (see tests/test_citations.py); the file has it, as checked below.
        assert "accessed" not in items["ris"]
        assert items["bib"].pop("accessed") == items["json"].pop("accessed")
        assert items["bib"] == items["ris"] == items["json"]
        assert items["json"]["type"] == "legislation"
        assert items["json"]["title"] == title
        code = "atipa-2008:s-29" if which == "clause" else "atipa-2008"
        assert items["json"]["id"] == code
        assert {tuple(reading.apa) for reading in readings.values()} == {
            (f"{title} (2008). http://testserver{page}",)
        }
        ris = client.get(f"{page}cite.ris").content.decode()
        assert "TY  - STAT\r\n" in ris
        assert f"Y2  - {timezone.localdate():%Y/%m/%d}\r\n" in ris

    def test_a_former_slug_redirects_its_downloads(self, client, clause):
        law = clause.law
        law.slug = "atipa"
        law.save()
        response = client.get("/laws/atipa-2008/s-29/cite.ris")
        assert response.status_code == 301
        assert response["Location"] == "/laws/atipa/s-29/cite.ris"
        response = client.get("/laws/atipa-2008/cite.bib")
        assert response.status_code == 301
        assert response["Location"] == "/laws/atipa/cite.bib"

    @pytest.mark.parametrize(
        "url", ["/laws/atipa-2008/cite.xyz", "/laws/atipa-2008/s-29/cite.", "/laws/none/cite.bib"]
    )
    def test_an_unknown_format_or_law_is_a_plain_404(self, client, clause, url):
        assert client.get(url).status_code == 404


class IncidentCitationTests:
    def test_an_incident_is_cited_as_a_data_set_of_the_archive(self, client):
        incident = factories.publish_incident(title="Raid on a karaoke bar")
        page = incident.get_absolute_url()
        head = head_of(client.get(page))
        title = f"Raid on a karaoke bar ({incident.public_id})"
        assert head.meta["citation_title"] == [title]
        assert head.meta["citation_author"] == ["Testimony Archive"]
        assert head.meta["DC.identifier"] == [incident.public_id]
        (data,) = head.json_ld
        assert data["@type"] == "Dataset"
        assert data["license"] == licences.DATA.url
        readings = read_all(downloads(client, page))
        items = {fmt: citejs.comparable(reading.items[0]) for fmt, reading in readings.items()}
        assert items["bib"] == items["ris"] == items["json"]
        assert items["json"]["type"] == "dataset"
        assert items["json"]["title"] == title
        published = timezone.localdate(incident.published_at)
        assert {tuple(reading.apa) for reading in readings.values()} == {
            (f"Testimony Archive. ({published.year}). {title} [Dataset]. http://testserver{page}",)
        }

    def test_unpublished_and_withdrawn_incidents_have_no_citation(self, client, reviewer):
        withdrawn = factories.publish_incident()
        services.withdraw(record=withdrawn, by=reviewer)
        draft = factories.make_incident()
        for url in [
            f"/incidents/{withdrawn.public_id}/cite.bib",
            f"/incidents/{draft.pk}/cite.ris",
        ]:
            response = client.get(url)
            assert response.status_code in (404, 410), url
            assert b"Raid number" not in response.content
