"""No draft, in-review or withdrawn text on any open-data surface."""

import pytest
from django.urls import reverse

from tests.opendata.conftest import WITHHELD_NAME, sentinel
from tests.support.sample_archive import HIDDEN_STATES

pytestmark = pytest.mark.django_db


def surfaces(archive) -> list[str]:
    clause = archive["clauses"][0]
    csv = reverse("opendata:search_csv")
    search_feed = reverse("opendata:search_feed")
    oai = reverse("opendata:oai")
    hidden_ids = [
        f"oai:testserver:{t.public_id}" for t in archive["hidden"].values() if t.public_id
    ]
    urls = [
        csv,
        f"{csv}?bom=1",
        f"{csv}?q=sentineldraft",
        f"{csv}?clause=atipa-2008%3As-29&sort=recorded",
        reverse("opendata:testimony_feed"),
        f"{clause.get_absolute_url()}feed/",
        search_feed,
        # Words only the hidden testimonies contain (a feed echoes its query, so not the sentinel).
        f"{search_feed}?q=body+OR+note+OR+source",
        f"{search_feed}?nationality=burmese&province=tak",
        reverse("opendata:sitemap"),
        *(
            reverse("opendata:sitemap_section", kwargs={"section": section})
            for section in ("testimonies", "incidents", "laws", "clauses")
        ),
        "/robots.txt",
        f"{oai}?verb=Identify",
        f"{oai}?verb=ListSets",
        f"{oai}?verb=ListIdentifiers&metadataPrefix=oai_dc",
        f"{oai}?verb=ListRecords&metadataPrefix=oai_dc",
        f"{oai}?verb=ListRecords&metadataPrefix=oai_dc&set=atipa-2008",
        *(f"{oai}?verb=GetRecord&metadataPrefix=oai_dc&identifier={i}" for i in hidden_ids),
    ]
    return urls


class OpenDataPrivacyTests:
    def test_no_hidden_text_on_any_surface(self, client, open_archive):
        hidden = open_archive["hidden"]
        # The sentinels really are stored; withdrawal erased every text field.
        assert sentinel("draft") in hidden["draft"].body
        assert sentinel("review") in hidden["review"].summary
        assert hidden["withdrawn"].source == hidden["withdrawn"].body == ""
        marked = open_archive["published"][7]
        assert WITHHELD_NAME in marked.summary_source
        assert "[name withheld]" in marked.summary
        for url in surfaces(open_archive):
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8-sig").lower()
            for state in HIDDEN_STATES:
                assert sentinel(state) not in text, (url, state)
            assert WITHHELD_NAME.lower() not in text, url
            # The in-review record's forced id appears nowhere, except where
            # the harvester asked for it by name and was told it does not exist.
            assert "t-0999" not in text or 'code="iddoesnotexist"' in text, url
            assert "sentineldraft raid" not in text, url

    def test_hidden_records_are_unknown_to_oai(self, client, open_archive):
        review = open_archive["hidden"]["review"]
        response = client.get(
            reverse("opendata:oai"),
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": f"oai:testserver:{review.public_id}",
            },
        )
        assert b'code="idDoesNotExist"' in response.content

    def test_the_withdrawn_record_is_only_a_deleted_header(self, client, open_archive):
        withdrawn = open_archive["hidden"]["withdrawn"]
        response = client.get(
            reverse("opendata:oai"), {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        )
        text = response.content.decode()
        start = text.index(f"oai:testserver:{withdrawn.public_id}")
        record = text[text.rindex("<record>", 0, start) : text.index("</record>", start)]
        assert 'status="deleted"' in record
        assert "metadata" not in record and "setSpec" not in record
