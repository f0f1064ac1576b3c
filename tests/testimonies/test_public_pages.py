"""Public pages show published records only, whatever state the others are in."""

import pytest
from django.urls import reverse

from tests.support import factories
from tests.support.sample_archive import make_testimonies_in_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(reviewer):
    """One testimony and one incident in each state, each with its own sentinel text."""
    law = factories.make_law(slug="atipa-2008", short_name="ATIPA 2008")
    clause = factories.make_clause(law=law, slug="s-29", number="s. 29", heading="Custody")
    violation_type = factories.make_violation_type()
    incident = factories.publish_incident(title="Published raid")
    records = make_testimonies_in_states(
        ["draft", "review", "published", "withdrawn"],
        mark=lambda state: f"SENTINEL{state.upper()}",
        by=reviewer,
        clause=clause,
        incident=incident,
        violation_type=violation_type,
    )
    draft_incident = factories.make_incident(title="SENTINELDRAFTINCIDENT raid")
    return {
        "records": records,
        "clause": clause,
        "law": law,
        "incident": incident,
        "draft_incident": draft_incident,
    }


def public_urls(archive) -> list[str]:
    published = archive["records"]["published"]
    return [
        reverse("testimonies:home"),
        reverse("testimonies:testimony_list"),
        published.get_absolute_url(),
        reverse("testimonies:incident_list"),
        archive["incident"].get_absolute_url(),
        reverse("laws:law_list"),
        archive["law"].get_absolute_url(),
        archive["clause"].get_absolute_url(),
    ]


class PrivacyTests:
    def test_no_public_page_shows_unpublished_or_withdrawn_text(self, client, archive):
        for url in public_urls(archive):
            response = client.get(url)
            assert response.status_code == 200, url
            content = response.content.decode()
            for hidden in ["SENTINELDRAFT", "SENTINELREVIEW", "SENTINELWITHDRAWN"]:
                assert hidden not in content, (url, hidden)

    def test_the_published_record_is_on_every_page_that_lists_it(self, client, archive):
        published = archive["records"]["published"]
        for url in [
            reverse("testimonies:home"),
            reverse("testimonies:testimony_list"),
            archive["clause"].get_absolute_url(),
            archive["incident"].get_absolute_url(),
        ]:
            assert "SENTINELPUBLISHED title" in client.get(url).content.decode(), url
        page = client.get(published.get_absolute_url()).content.decode()
        assert 'id="p2"' in page and "SENTINELPUBLISHED body two." in page
        assert "SENTINELPUBLISHED note" in page

    def test_counts_cover_published_records_only(self, client, archive):
        response = client.get(reverse("testimonies:home"))
        assert response.context["testimony_count"] == 1
        response = client.get(archive["law"].get_absolute_url())
        assert [c.testimony_count for c in response.context["clauses"]] == [1]

    def test_a_draft_id_answers_exactly_like_an_unknown_id(self, client, archive, reviewer):
        in_review = archive["records"]["review"]
        # Records in review have no public id; force one to prove the page still hides it.
        in_review.public_id = "T-0999"
        in_review.save()
        hidden = client.get("/testimonies/T-0999/")
        unknown = client.get("/testimonies/T-9999/")
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.content == unknown.content.replace(b"T-9999", b"T-0999")

    def test_withdrawn_permalink_is_gone_with_a_tombstone(self, client, archive):
        withdrawn = archive["records"]["withdrawn"]
        response = client.get(f"/testimonies/{withdrawn.public_id}/")
        assert response.status_code == 410
        assert response["X-Robots-Tag"] == "noindex, noarchive"
        body = response.content.decode()
        assert withdrawn.public_id in body
        assert "SENTINELWITHDRAWN" not in body

    def test_draft_incident_is_not_found(self, client, archive):
        draft = archive["draft_incident"]
        assert draft.public_id is None
        assert client.get("/incidents/R-0002/").status_code == 404


class PaginationInputTests:
    @pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999", "1e3", "๑", "9" * 40, "1\x00"])
    def test_bad_page_numbers_get_a_plain_400(self, client, page):
        factories.publish_incident()
        response = client.get(reverse("testimonies:incident_list"), {"page": page})
        assert response.status_code == 400
        assert b"page" in response.content.lower()
        assert b"Traceback" not in response.content

    def test_page_one_of_an_empty_archive_is_fine(self, client):
        assert client.get(reverse("testimonies:testimony_list")).status_code == 200
        assert client.get(reverse("testimonies:incident_list")).status_code == 200
