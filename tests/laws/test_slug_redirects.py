"""Old law and clause addresses keep working after an editor changes a slug."""

import pytest

from laws.models import ClauseSlugHistory, LawSlugHistory
from tests.support import factories

pytestmark = pytest.mark.django_db


def rename(instance, slug: str):
    instance.slug = slug
    instance.save()
    return instance


class LawSlugTests:
    def test_renamed_law_redirects_permanently(self, client):
        law = factories.make_law(slug="atipa")
        rename(law, "atipa-2008")
        response = client.get("/laws/atipa/")
        assert response.status_code == 301
        assert response["Location"] == "/laws/atipa-2008/"
        assert client.get("/laws/atipa-2008/").status_code == 200

    def test_the_search_in_the_query_string_survives_the_redirect(self, client):
        law = factories.make_law(slug="old-law")
        rename(law, "new-law")
        response = client.get("/laws/old-law/?q=shelter&sort=date")
        assert response["Location"] == "/laws/new-law/?q=shelter&sort=date"

    def test_every_former_slug_leads_straight_to_today_s(self, client):
        law = factories.make_law(slug="first")
        rename(law, "second")
        rename(law, "third")
        for old in ["first", "second"]:
            assert client.get(f"/laws/{old}/")["Location"] == "/laws/third/"

    def test_renaming_back_and_forth_keeps_one_row_per_slug(self, client):
        law = factories.make_law(slug="a-law")
        rename(law, "b-law")
        rename(law, "a-law")
        rename(law, "b-law")
        assert sorted(LawSlugHistory.objects.values_list("slug", flat=True)) == ["a-law", "b-law"]
        assert client.get("/laws/a-law/")["Location"] == "/laws/b-law/"

    def test_a_live_slug_wins_over_a_remembered_one(self, client):
        old = factories.make_law(slug="shared")
        rename(old, "moved")
        factories.make_law(slug="shared", short_name="Newcomer")
        response = client.get("/laws/shared/")
        assert response.status_code == 200
        assert response.context["law"].short_name == "Newcomer"

    def test_saving_without_a_slug_change_records_nothing(self):
        law = factories.make_law(slug="stable")
        law.summary = "Edited."
        law.save()
        assert not LawSlugHistory.objects.exists()

    def test_an_unknown_slug_is_404(self, client):
        assert client.get("/laws/never-was/").status_code == 404


class ClauseSlugTests:
    def test_renamed_clause_redirects_permanently(self, client):
        clause = factories.make_clause(slug="s-29")
        rename(clause, "section-29")
        response = client.get(f"/laws/{clause.law.slug}/s-29/")
        assert response.status_code == 301
        assert response["Location"] == f"/laws/{clause.law.slug}/section-29/"
        assert client.get(response["Location"]).status_code == 200

    def test_old_law_slug_and_old_clause_slug_together(self, client):
        law = factories.make_law(slug="old-act")
        clause = factories.make_clause(law=law, slug="old-s")
        rename(clause, "new-s")
        rename(law, "new-act")
        for url in ["/laws/old-act/old-s/", "/laws/old-act/new-s/", "/laws/new-act/old-s/"]:
            response = client.get(url)
            assert response.status_code == 301, url
            assert response["Location"] == "/laws/new-act/new-s/", url

    def test_old_clause_slugs_are_per_law(self, client):
        clause = factories.make_clause(slug="s-1")
        other_law = factories.make_law()
        rename(clause, "s-1-renamed")
        assert ClauseSlugHistory.objects.get().law == clause.law
        assert client.get(f"/laws/{other_law.slug}/s-1/").status_code == 404

    def test_editing_a_clause_through_the_law_admin_inline_records_the_old_slug(self, admin_client):
        law = factories.make_law(slug="inline-act", short_name="Inline Act")
        clause = factories.make_clause(law=law, slug="s-5", number="s. 5", heading="H", order=1)
        data = {
            "short_name": law.short_name,
            "slug": law.slug,
            "title_en": law.title_en,
            "title_th": "",
            "summary": "",
            "jurisdiction": law.jurisdiction,
            "kind": law.kind,
            "year": law.year,
            "year_be": law.year_be,
            "order": 0,
            "ratification_status": "",
            "ratification_date": "",
            "binding_in_2012": "on",
            "source_url": "",
            "clauses-TOTAL_FORMS": "1",
            "clauses-INITIAL_FORMS": "1",
            "clauses-MIN_NUM_FORMS": "0",
            "clauses-MAX_NUM_FORMS": "1000",
            "clauses-0-id": clause.pk,
            "clauses-0-law": law.pk,
            "clauses-0-number": "s. 5",
            "clauses-0-slug": "section-5",
            "clauses-0-heading": "H",
            "clauses-0-parent": "",
            "clauses-0-order": 1,
        }
        response = admin_client.post(f"/admin/laws/law/{law.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert admin_client.get("/laws/inline-act/s-5/")["Location"] == (
            "/laws/inline-act/section-5/"
        )


class RelatedClauseTests:
    def test_clause_page_shows_parent_children_and_siblings(self, client):
        law = factories.make_law()
        parent = factories.make_clause(law=law, number="s. 27", heading="Parent heading")
        first = factories.make_clause(law=law, parent=parent, number="s. 27(1)", heading="One")
        second = factories.make_clause(law=law, parent=parent, number="s. 27(2)", heading="Two")
        grandchild = factories.make_clause(law=law, parent=first, number="s. 27(1)(a)", heading="A")
        page = client.get(first.get_absolute_url()).content.decode()
        assert f'href="{parent.get_absolute_url()}"' in page
        assert f'href="{second.get_absolute_url()}"' in page  # sibling
        assert f'href="{grandchild.get_absolute_url()}"' in page  # child
        top = client.get(parent.get_absolute_url())
        assert list(top.context["children"]) == [first, second]
        assert top.context["siblings"] == ()
