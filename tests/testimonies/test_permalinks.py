"""Permalinks, versions, tombstones and "Cite this" on testimony pages."""

import json
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testimonies import services
from testimonies.models import TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db

OLD_BODY = "OLDTEXT first paragraph.\n\nOLDTEXT second paragraph."
NEW_BODY = "NEWTEXT first paragraph.\n\nNEWTEXT second paragraph.\n\nNEWTEXT third paragraph."


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD from a page, as a crawler would."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self.inline_scripts = 0
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script":
            if attrs.get("type") == "application/ld+json":
                self._in_json_ld = True
                self.json_ld.append("")
            elif "src" not in attrs:
                self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parse(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def corrected(reviewer):
    """A testimony published, then corrected once: versions 1 and 2."""
    clause = factories.make_clause(heading="Custody")
    testimony = factories.make_testimony(
        title="OLDTITLE account", narrator_pseudonym="Ma Ei", body=OLD_BODY
    )
    TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
    testimony = factories.publish_testimony(testimony)
    testimony.title_source = "NEWTITLE account"
    testimony.body_source = NEW_BODY
    testimony.save()
    return services.publish(record=testimony, by=reviewer, correction_note="Date of raid corrected")


def permalink(testimony) -> str:
    return f"/testimonies/{testimony.public_id}/"


class VersionTests:
    def test_each_version_shows_its_own_text(self, client, corrected):
        v1 = client.get(permalink(corrected) + "v1/")
        v2 = client.get(permalink(corrected) + "v2/")
        assert v1.status_code == v2.status_code == 200
        old, new = v1.content.decode(), v2.content.decode()
        assert "OLDTEXT second paragraph." in old and "NEWTEXT" not in old
        assert "OLDTITLE account" in old and "NEWTITLE" not in old
        assert "NEWTEXT third paragraph." in new and "OLDTEXT" not in new
        assert 'id="p3"' in new and 'id="p3"' not in old

    def test_an_old_version_says_so_and_links_to_the_current_one(self, client, corrected):
        page = client.get(permalink(corrected) + "v1/").content.decode()
        assert "You are reading <strong>version 1</strong>" in page
        assert f'href="{permalink(corrected)}"' in page
        current = client.get(permalink(corrected) + "v2/").content.decode()
        assert "You are reading <strong>version" not in current

    def test_the_current_page_lists_every_version_with_dates_and_notes(self, client, corrected):
        page = client.get(permalink(corrected)).content.decode()
        assert "NEWTEXT first paragraph." in page
        assert f'href="{permalink(corrected)}v1/"' in page
        assert f'href="{permalink(corrected)}v2/"' in page
        assert "Date of raid corrected" in page
        published = timezone.localdate(corrected.versions.get(number=2).published_at)
        assert f"{published.day} {published:%B %Y}" in page

    def test_an_old_version_is_cited_as_that_version(self, client, corrected):
        response = client.get(permalink(corrected) + "v1/cite.ris")
        (entry,) = rispy.loads(response.content.decode())
        assert entry["title"] == "OLDTITLE account"
        assert entry["edition"] == "Version 1"
        assert entry["urls"] == [f"http://testserver{permalink(corrected)}v1/"]

    def test_the_current_page_cites_the_current_version_by_its_own_address(self, client, corrected):
        response = client.get(permalink(corrected))
        apa = dict((key, text) for key, _, text in response.context["citation_styles"])["apa"]
        assert f"http://testserver{permalink(corrected)}v2/" in apa
        assert "(Version 2)" in apa and "NEWTITLE account" in apa


class WithdrawalTests:
    def test_permalink_and_every_version_answer_410_without_the_text(
        self, client, corrected, reviewer
    ):
        services.withdraw(record=corrected, by=reviewer)
        base = permalink(corrected)
        for url in [
            base,
            base + "v1/",
            base + "v2/",
            base + "v7/",
            base + "cite.bib",
            base + "v1/cite.json",
            base + "?paragraph=abc",
        ]:
            response = client.get(url)
            assert response.status_code == 410, url
            assert response["X-Robots-Tag"] == "noindex, noarchive", url
            body = response.content.decode()
            assert corrected.public_id in body, url
            for gone in ["OLDTEXT", "NEWTEXT", "OLDTITLE", "NEWTITLE", "Ma Ei", "corrected"]:
                assert gone not in body, (url, gone)


class NotFoundTests:
    def test_draft_and_unknown_ids_give_byte_identical_404s(self, client, reviewer):
        in_review = services.send_to_review(record=factories.make_testimony(), by=reviewer)
        # Records in review have no public id; give one to prove the page still hides it.
        in_review.public_id = "T-0777"
        in_review.save()
        for suffix in ["", "v1/", "cite.bib", "v1/cite.ris"]:
            hidden = client.get(f"/testimonies/T-0777/{suffix}")
            unknown = client.get(f"/testimonies/T-0778/{suffix}")
            assert hidden.status_code == unknown.status_code == 404, suffix
            assert hidden.content == unknown.content, suffix

    def test_an_unknown_version_looks_like_an_unknown_id(self, client, corrected):
        missing = client.get(permalink(corrected) + "v3/")
        unknown = client.get("/testimonies/T-9999/")
        assert missing.status_code == 404
        assert missing.content == unknown.content


class HostileInputTests:
    @pytest.mark.parametrize(
        "suffix",
        [
            "v0/",
            "v-1/",
            "v999999999999/",
            "v99999999999999999999999999999/",
            "v" + "9" * 5000 + "/",
            "v1.5/",
            "vabc/",
            "cite.xyz",
            "cite.",
            "v1/cite.xyz",
            "v0/cite.bib",
            "v99999999999999999999999999999/cite.json",
        ],
    )
    def test_bad_version_or_format_is_404(self, client, corrected, suffix):
        response = client.get(permalink(corrected) + suffix)
        assert response.status_code == 404, suffix

    @pytest.mark.parametrize("value", ["abc", "-1", "0", "4", "9" * 40, "1e3", "๑", "1\x00"])
    @pytest.mark.parametrize(
        "suffix", ["", "v2/", "cite.bib", "cite.ris", "cite.json", "v2/cite.bib"]
    )
    def test_bad_paragraph_is_a_400_with_a_message(self, client, corrected, suffix, value):
        response = client.get(permalink(corrected) + suffix, {"paragraph": value})
        assert response.status_code == 400, (suffix, value)
        assert b"paragraph" in response.content.lower()
        assert b"Traceback" not in response.content


class CiteDownloadTests:
    def test_bibtex_download(self, client, corrected):
        response = client.get(permalink(corrected) + "cite.bib")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/x-bibtex")
        assert f'filename="{corrected.public_id}-v2.bib"' in response["Content-Disposition"]
        (entry,) = bibtexparser.parse_string(response.content.decode()).entries
        fields = entry.fields_dict
        assert fields["author"].value == "{Ma Ei}"
        assert fields["title"].value == "NEWTITLE account"
        assert fields["url"].value == f"http://testserver{permalink(corrected)}v2/"
        assert fields["urldate"].value == timezone.localdate().isoformat()
        assert corrected.public_id in fields["note"].value

    def test_a_paragraph_citation_carries_the_anchor(self, client, corrected):
        response = client.get(permalink(corrected) + "cite.json", {"paragraph": "3"})
        (item,) = json.loads(response.content)
        assert item["URL"] == f"http://testserver{permalink(corrected)}v2/#p3"
        assert item["genre"] == f"Testimony {corrected.public_id}"
        assert item["publisher"] == "Testimony Archive"
        assert item["author"] == [{"literal": "Ma Ei"}]
        page = client.get(permalink(corrected), {"paragraph": "2"}).content.decode()
        assert f"{permalink(corrected)}v2/#p2" in page
        assert "cite.bib?paragraph=2" in page

    def test_ris_download_of_a_version(self, client, corrected):
        response = client.get(permalink(corrected) + "v2/cite.ris", {"paragraph": "1"})
        (entry,) = rispy.loads(response.content.decode())
        assert entry["urls"] == [f"http://testserver{permalink(corrected)}v2/#p1"]
        assert entry["access_date"] == timezone.localdate().strftime("%Y/%m/%d")


class MetadataTests:
    @pytest.mark.parametrize("suffix,version", [("", 2), ("v1/", 1), ("v2/", 2)])
    def test_every_record_page_carries_its_metadata(self, client, corrected, suffix, version):
        response = client.get(permalink(corrected) + suffix)
        head = parse(response)
        title = "OLDTITLE account" if version == 1 else "NEWTITLE account"
        # The current text's canonical address is the permalink; an old version's is its own.
        canonical = f"http://testserver{permalink(corrected)}" + ("v1/" if version == 1 else "")
        published = timezone.localdate(corrected.versions.get(number=version).published_at)
        first = timezone.localdate(corrected.first_published_at)
        assert head.canonical == [canonical]
        assert head.meta["citation_title"] == [title]
        assert head.meta["citation_author"] == ["Ma Ei"]
        assert head.meta["citation_publication_date"] == [published.strftime("%Y/%m/%d")]
        assert head.meta["citation_online_date"] == [first.strftime("%Y/%m/%d")]
        assert head.meta["citation_publisher"] == ["Testimony Archive"]
        assert head.meta["citation_public_url"] == [canonical]
        assert head.meta["citation_language"] == ["en"]
        assert head.meta["og:title"] == [title]
        assert head.meta["og:type"] == ["article"]
        assert head.meta["og:url"] == [canonical]
        assert head.meta["og:site_name"] == ["Testimony Archive"]
        assert head.meta["og:description"][0]
        (block,) = head.json_ld
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        assert data["headline"] == title
        assert data["author"]["name"] == "Ma Ei"
        assert data["identifier"] == corrected.public_id
        assert data["url"] == canonical
        assert data["version"] == str(version)
        # The only script without src is the JSON-LD data block.
        assert head.inline_scripts == 0

    def test_json_ld_cannot_be_closed_by_a_title(self, client, reviewer):
        testimony = factories.publish_testimony(
            title="</script><script>alert(1)</script> & more", narrator_pseudonym="Nok"
        )
        head = parse(client.get(permalink(testimony)))
        (block,) = head.json_ld
        assert json.loads(block)["name"] == "</script><script>alert(1)</script> & more"
        assert head.inline_scripts == 0

    def test_thai_record_declares_its_language(self, client):
        testimony = factories.publish_testimony(language="th", body="ย่อหน้าแรก\n\nย่อหน้าที่สอง")
        head = parse(client.get(permalink(testimony)))
        assert head.meta["citation_language"] == ["th"]

    def test_paragraph_controls_are_links_and_labelled_buttons(self, client, corrected):
        page = client.get(permalink(corrected)).content.decode()
        anchor = f"http://testserver{permalink(corrected)}#p2"
        assert f'href="{anchor}"' in page
        assert 'aria-label="Link to paragraph 2"' in page
        assert f'data-copy-href="{anchor}"' in page
        assert 'aria-label="Copy link to paragraph 2"' in page
        assert 'href="?paragraph=2#cite"' in page

    def test_incident_and_law_pages_carry_open_graph_tags(self, client):
        incident = factories.publish_incident(title="Raid on a bar")
        clause = factories.make_clause(summary="What the clause says.")
        for url in [
            incident.get_absolute_url(),
            clause.get_absolute_url(),
            clause.law.get_absolute_url(),
        ]:
            head = parse(client.get(url))
            assert head.canonical == [f"http://testserver{url}"], url
            assert head.meta["og:url"] == [f"http://testserver{url}"], url
            assert head.meta["og:type"] == ["article"], url
            assert head.meta["og:site_name"] == ["Testimony Archive"], url


class QueryCountTests:
    def test_record_page_queries_do_not_grow_with_versions(self, client, reviewer):
        def count(testimony) -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(permalink(testimony)).status_code == 200
            return len(queries)

        one = factories.publish_testimony()
        many = factories.publish_testimony()
        for n in range(3):
            many.body_source = f"Corrected text {n}."
            many.save()
            many = services.publish(record=many, by=reviewer, correction_note=f"Fix {n}")
        assert count(many) == count(one)
