"""What each endpoint answers: public records with their permalinks, 404 and 410 as the pages."""

import pytest
from django.urls import reverse

from laws import selectors as law_selectors
from laws.models import Clause, Law
from testimonies import selectors
from testimonies.models import RaidIncident, Testimony

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


class TestimonyDetailTests:
    def test_a_published_testimony_with_its_links(self, client, archive):
        testimony = Testimony.objects.public().filter(clause_links__isnull=False).first()
        data = get_json(client, f"/api/testimonies/{testimony.public_id}/")
        assert data["public_id"] == testimony.public_id
        assert data["url"] == f"{BASE}/testimonies/{testimony.public_id}/"
        assert data["api_url"] == f"{BASE}/api/testimonies/{testimony.public_id}/"
        assert data["title"] == testimony.title
        assert data["paragraphs"] == testimony.paragraphs
        assert data["nationality"]["code"] == testimony.nationality
        assert {link["clause"]["code"] for link in data["clauses"]} == {
            f"{link.clause.law.slug}:{link.clause.slug}" for link in testimony.clause_links.all()
        }
        assert data["versions"][0]["url"] == f"{BASE}/testimonies/{testimony.public_id}/v1/"
        # The permalink it gives is the page that really exists.
        assert client.get(data["url"]).status_code == 200

    def test_withdrawn_answers_410_with_a_short_notice(self, client, archive):
        withdrawn = archive["withdrawn"]
        response = client.get(f"/api/testimonies/{withdrawn.public_id}/")
        assert response.status_code == 410
        body = response.json()
        assert body["public_id"] == withdrawn.public_id
        assert "withdrawn" in body["detail"]
        assert body["withdrawn"] == withdrawn.withdrawn_at.strftime("%Y-%m")
        # The HTML permalink agrees.
        assert client.get(withdrawn.get_absolute_url()).status_code == 410

    def test_drafts_and_records_in_review_are_404(self, client, archive):
        assert archive["draft"].public_id is None and archive["in_review"].public_id is None
        next_number = Testimony.objects.exclude(public_id=None).count() + 1
        for public_id in ["T-9999", f"T-{next_number:04d}"]:
            body = get_json(client, f"/api/testimonies/{public_id}/", status=404)
            assert "detail" in body

    def test_ids_of_the_wrong_shape_never_reach_the_database(self, client, archive):
        for path in ["T-", "R-0001", "T-" + "9" * 40, "..%2F..%2Fetc", "T-1%0A"]:
            body = get_json(client, f"/api/testimonies/{path}/", status=404)
            assert "detail" in body
        body = get_json(client, "/api/testimonies/T-1%00/", status=400)
        assert "NUL" in body["detail"]


class IncidentTests:
    def test_list_and_detail_carry_only_public_testimonies(self, client, archive, unthrottled):
        public_ids = set(Testimony.objects.public().values_list("public_id", flat=True))
        data = get_json(client, "/api/incidents/")
        assert data["count"] == RaidIncident.objects.public().count()
        for item in data["results"]:
            assert {t["public_id"] for t in item["testimonies"]} <= public_ids
            detail = get_json(client, item["api_url"])
            assert detail == item
            assert detail["url"] == f"{BASE}/incidents/{item['public_id']}/"

    def test_hidden_incidents_are_404(self, client, archive):
        assert archive["draft_incident"].public_id is None
        withdrawn = archive["withdrawn_incident"]
        get_json(client, f"/api/incidents/{withdrawn.public_id}/", status=404)

    def test_filters(self, client, archive):
        data = get_json(client, "/api/incidents/", province="tak")
        expected = RaidIncident.objects.public().filter(province="tak").count()
        assert data["count"] == expected > 0
        assert all(item["province"]["code"] == "tak" for item in data["results"])
        data = get_json(client, "/api/incidents/", authority=["police", "immigration"])
        expected = (
            RaidIncident.objects.public()
            .filter(authorities__slug__in=["police", "immigration"])
            .distinct()
            .count()
        )
        assert data["count"] == expected > 0
        body = get_json(client, "/api/incidents/", status=400, authority="martians")
        assert "authority" in body["detail"]


class LawAndClauseTests:
    def test_law_detail_lists_its_clauses_with_public_counts(self, client, archive):
        law = Law.objects.get(slug="atipa-2008")
        data = get_json(client, "/api/laws/atipa-2008/")
        assert data["url"] == f"{BASE}/laws/atipa-2008/"
        assert [c["slug"] for c in data["clauses"]] == list(
            law.clauses.order_by("order", "id").values_list("slug", flat=True)
        )
        counted = law_selectors.laws_with_counts().get(pk=law.pk).testimony_count
        assert data["testimony_count"] == counted
        search = get_json(client, data["testimonies_api_url"])
        assert search["count"] == counted

    def test_clause_by_its_natural_key(self, client, archive):
        clause = archive["clause"]
        data = get_json(client, f"/api/clauses/{clause.law.slug}/{clause.slug}/")
        assert data["url"] == f"{BASE}{clause.get_absolute_url()}"
        linked = {link["testimony"]["public_id"] for link in data["testimonies"]}
        expected = set(
            selectors.clause_testimony_links(clause=clause).values_list(
                "testimony__public_id", flat=True
            )
        )
        assert linked == expected and None not in linked
        assert data["testimony_count"] == len(expected)

    def test_old_slugs_redirect_to_the_api_address_today(self, client, archive):
        clause = Clause.objects.get(law__slug="atipa-2008", slug="s-29")
        law = clause.law
        law.slug = "atipa-b-e-2551"
        law.save()
        response = client.get("/api/laws/atipa-2008/?x=1")
        assert response.status_code == 301
        assert response["Location"] == "/api/laws/atipa-b-e-2551/?x=1"
        response = client.get("/api/clauses/atipa-2008/s-29/")
        assert response.status_code == 301
        assert response["Location"] == "/api/clauses/atipa-b-e-2551/s-29/"

    def test_clause_list_filters_by_law(self, client, archive):
        data = get_json(client, "/api/clauses/", law="atipa-2008")
        assert data["count"] == Clause.objects.filter(law__slug="atipa-2008").count()
        assert data["next"] == f"{BASE}/api/clauses/?law=atipa-2008&page=2"
        page_two = get_json(client, data["next"])
        assert page_two["previous"].startswith(f"{BASE}/api/clauses/?law=atipa-2008")

    def test_laws_are_listed_in_the_site_order(self, client, archive):
        data = get_json(client, "/api/laws/")
        assert [law["slug"] for law in data["results"]] == list(
            Law.objects.order_by("order", "short_name", "id").values_list("slug", flat=True)
        )[:20]


class ViolationTypeTests:
    def test_counts_agree_with_the_search_facet(self, client, archive, unthrottled):
        url = "/api/violation-types/"
        while url:
            data = get_json(client, url)
            for item in data["results"]:
                detail = get_json(client, item["api_url"])
                assert detail == item
                search = get_json(client, "/api/testimonies/", violation=item["code"])
                assert search["count"] == item["testimony_count"]
            url = data["next"]

    def test_unknown_code_is_404(self, client, archive):
        get_json(client, "/api/violation-types/no-such-thing/", status=404)


def test_unknown_api_address_is_a_json_404(client, db):
    assert get_json(client, "/api/nothing/here/", status=404)["detail"]


def test_writes_are_refused(client, db):
    response = client.post(reverse("api:testimony-list"), {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_odd_addresses_under_the_api_answer_in_json(client, db):
    for path in ["/api/incidents/a%0Ab/", "/api/laws/%00/", "/api/%E2%80%A8/x", "/api/?q=%00"]:
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert response.json()["detail"]
