"""The law in practice: each law and clause by relation and year, and the laws ranked by relation.

Every count is checked against a brute-force count made here in plain
Python over every testimony row (status, public id, links), never with the
query the pages run.
"""

import csv
import io
from collections import defaultdict

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree, html

from laws import practice
from testimonies import services
from testimonies.models import Testimony, TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db

RELATIONS = [relation.value for relation in practice.RELATIONS]


def link(testimony, clause, *relations):
    for relation in relations:
        TestimonyClause.objects.create(testimony=testimony, clause=clause, relation=relation)


@pytest.fixture
def archive():
    """Two laws, three clauses; published, draft, in-review and withdrawn accounts."""
    act = factories.make_law(short_name="Act A", short_name_th="พ.ร.บ. ก")
    other = factories.make_law(short_name="Act B")
    a1, a2 = factories.make_clause(law=act), factories.make_clause(law=act)
    b1 = factories.make_clause(law=other)
    reviewer = factories.make_user("Reviewer")

    def account(nationality, year, links, state="published", body=None):
        extra = {"body": body} if body else {}
        testimony = factories.make_testimony(nationality=nationality, year_of_events=year, **extra)
        for clause, relations in links:
            link(testimony, clause, *relations)
        if state == "review":
            services.send_to_review(record=testimony, by=reviewer)
        elif state in ("published", "withdrawn"):
            testimony = factories.publish_testimony(testimony)
            if state == "withdrawn":
                services.withdraw(record=testimony, by=reviewer)
        return testimony

    # Two clauses of act A invoked in one account: act A counts it once.
    account("burmese", 2010, [(a1, ["invoked"]), (a2, ["invoked"]), (b1, ["not-applied", "other"])])
    account("thai", 2011, [(a1, ["violated", "invoked"])], body="The zqraidword raid at night.")
    account("burmese", 2011, [(a2, ["not-applied"]), (b1, ["violated"])])
    account("burmese", 2013, [(a1, ["invoked"])])
    account("burmese", 2010, [(a1, ["invoked"]), (b1, ["invoked"])], state="draft")
    account("thai", 2012, [(a1, ["invoked", "violated"])], state="review")
    account("shan", 2012, [(a2, ["invoked"]), (b1, ["violated"])], state="withdrawn")
    return {"act": act, "other": other, "a1": a1, "a2": a2, "b1": b1}


def brute_force(*, law=None, clause=None, keep=lambda testimony: True):
    """(relation, year) -> testimonies, over public records only, in plain Python."""
    found = defaultdict(set)
    for testimony in Testimony.objects.all():
        if testimony.status != "published" or not testimony.public_id or not keep(testimony):
            continue
        for row in testimony.clause_links.all():
            if row.relation not in RELATIONS:
                continue
            if (law and row.clause.law_id != law.pk) or (clause and row.clause_id != clause.pk):
                continue
            found[(row.relation, testimony.year_of_events)].add(testimony.pk)
    return {key: len(ids) for key, ids in found.items()}


def by_law_brute_force(laws, keep=lambda testimony: True):
    """relation -> {law short name: testimonies}, zero counts left out."""
    result = {}
    for relation in RELATIONS:
        counts = {}
        for law in laws:
            total = sum(1 for _ in _testimonies_with(law, relation, keep))
            if total:
                counts[law.short_name] = total
        result[relation] = counts
    return result


def _testimonies_with(law, relation, keep):
    for testimony in Testimony.objects.all():
        if testimony.status != "published" or not testimony.public_id or not keep(testimony):
            continue
        if any(
            row.relation == relation and row.clause.law_id == law.pk
            for row in testimony.clause_links.all()
        ):
            yield testimony


def as_table(counts: dict) -> dict[str, list[str]]:
    """A brute-force count as the page's table: every year in the span, a column per relation."""
    years = sorted({year for _relation, year in counts})
    if not years:
        return {}
    return {
        str(year): [str(counts.get((relation, year), 0)) for relation in RELATIONS]
        for year in range(years[0], years[-1] + 1)
    }


def practice_figure(page: bytes):
    figures = html.fromstring(page).cssselect("#practice figure.chart")
    return figures[0] if figures else None


def figure_table(fig) -> dict[str, list[str]]:
    rows = fig.cssselect("details.chart-data tbody tr")
    return {row[0].text_content(): [cell.text_content() for cell in row[1:]] for row in rows}


def ranking_tables(page: bytes) -> dict[str, dict[str, int]]:
    tree = html.fromstring(page)
    result = {}
    for relation in RELATIONS:
        captions = tree.cssselect(f"#practice-{relation}-caption")
        rows = captions[0].getparent().cssselect("details.chart-data tbody tr") if captions else []
        result[relation] = {row[0].text_content(): int(row[1].text_content()) for row in rows}
    return result


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class LawAndClausePageTests:
    def test_each_law_counts_equal_brute_force_over_public(self, client, archive):
        for law in (archive["act"], archive["other"]):
            fig = practice_figure(client.get(law.get_absolute_url()).content)
            assert figure_table(fig) == as_table(brute_force(law=law))
        # Act A in 2010: one account invoking two of its clauses, counted once;
        # the draft, in-review and withdrawn accounts are nowhere.
        table = figure_table(practice_figure(client.get(archive["act"].get_absolute_url()).content))
        assert table["2010"] == ["1", "0", "0"]
        assert table["2011"] == ["1", "1", "1"]
        assert "2012" in table and table["2012"] == ["0", "0", "0"]

    def test_each_clause_counts_equal_brute_force_over_public(self, client, archive):
        for name in ("a1", "a2", "b1"):
            clause = archive[name]
            fig = practice_figure(client.get(clause.get_absolute_url()).content)
            assert figure_table(fig) == as_table(brute_force(clause=clause)), name

    def test_unpublished_and_withdrawn_are_never_counted(self, client, archive):
        a1 = archive["a1"]
        before = figure_table(practice_figure(client.get(a1.get_absolute_url()).content))
        published = Testimony.objects.filter(status="published", year_of_events=2013).get()
        services.withdraw(record=published, by=factories.make_user("Reviewer"))
        after = practice_figure(client.get(a1.get_absolute_url()).content)
        assert before["2013"] == ["1", "0", "0"]
        assert "2013" not in figure_table(after)
        assert figure_table(after) == as_table(brute_force(clause=a1))

    def test_the_search_filters_narrow_the_counts(self, client, archive):
        act = archive["act"]
        cases = [
            ({"nationality": "burmese"}, lambda t: t.nationality == "burmese"),
            ({"year_from": "2011"}, lambda t: t.year_of_events >= 2011),
            ({"q": "zqraidword"}, lambda t: "zqraidword" in t.body),
            # The page pins its own law: another law's value in the link changes nothing.
            ({"law": archive["other"].slug}, lambda t: True),
        ]
        for query, keep in cases:
            fig = practice_figure(client.get(act.get_absolute_url(), query).content)
            assert figure_table(fig) == as_table(brute_force(law=act, keep=keep)), query
        # A search that leaves nothing draws nothing, and says so.
        page = client.get(act.get_absolute_url(), {"nationality": "shan"}).content
        assert practice_figure(page) is None
        assert "No published testimony tells of it" in page.decode()

    def test_csv_matches_the_table_and_carries_the_filters(self, client, archive):
        act, a1 = archive["act"], archive["a1"]
        page = html.fromstring(
            client.get(act.get_absolute_url(), {"nationality": "burmese"}).content
        )
        href = page.cssselect("#practice a[download]")[0].get("href")
        assert href == f"/laws/{act.slug}/practice.csv?nationality=burmese"
        rows = csv_rows(client.get(href))
        assert rows[0] == ["law", "year", "invoked", "violated", "not-applied"]
        table = figure_table(
            practice_figure(client.get(act.get_absolute_url(), {"nationality": "burmese"}).content)
        )
        assert {row[1]: row[2:] for row in rows[1:]} == table
        assert {row[0] for row in rows[1:]} == {act.slug}
        clause_rows = csv_rows(
            client.get(reverse("laws:clause_practice_csv", args=[act.slug, a1.slug]), {"bom": "1"})
        )
        assert clause_rows[0] == ["law", "clause", "year", *RELATIONS]
        clause_table = figure_table(practice_figure(client.get(a1.get_absolute_url()).content))
        assert {row[2]: row[3:] for row in clause_rows[1:]} == clause_table

    def test_csv_starts_with_a_byte_order_mark_only_when_asked(self, client, archive):
        url = reverse("laws:law_practice_csv", args=[archive["act"].slug])
        assert not client.get(url).content.startswith("\ufeff".encode())
        assert client.get(url, {"bom": "1"}).content.startswith("\ufeff".encode())
        assert client.get(url, {"bom": "2"}).status_code == 400

    def test_svg_is_well_formed_with_title_and_description(self, client, archive):
        fig = practice_figure(client.get(archive["act"].get_absolute_url()).content)
        svg_text = etree.tostring(fig.cssselect("svg")[0], method="xml")
        svg = etree.fromstring(svg_text)  # well-formed XML, or this raises
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f".//title[@id='{title_id}']").text.startswith("Testimonies in which Act A")
        description = svg.find(f".//desc[@id='{desc_id}']").text
        assert "Invoked by authorities: 3, the most in 2010 (1)" in description
        # One band per relation, a bar per year with a count.
        bands = [g.get("class") for g in svg.findall("g")]
        assert bands == ["series-invoked", "series-violated", "series-not-applied"]
        invoked = sum(1 for _ in svg.find("g[@class='series-invoked']").iter("rect"))
        assert invoked == sum(
            1 for (rel, _y) in brute_force(law=archive["act"]) if rel == "invoked"
        )


class LawIndexTests:
    def test_laws_ranked_by_each_relation_equal_brute_force(self, client, archive):
        laws = [archive["act"], archive["other"]]
        assert ranking_tables(client.get("/laws/").content) == by_law_brute_force(laws)
        burmese = client.get("/laws/", {"nationality": "burmese"}).content
        expected = by_law_brute_force(laws, keep=lambda t: t.nationality == "burmese")
        assert ranking_tables(burmese) == expected
        # Ranked: the largest first.
        invoked = ranking_tables(client.get("/laws/").content)["invoked"]
        assert list(invoked.values()) == sorted(invoked.values(), reverse=True)

    def test_a_law_name_search_does_not_narrow_the_ranking(self, client, archive):
        page = client.get("/laws/", {"find": "Act B"}).content
        assert ranking_tables(page) == by_law_brute_force([archive["act"], archive["other"]])

    def test_csv_matches_the_tables(self, client, archive):
        for query in ({}, {"year_to": "2010"}):
            tables = ranking_tables(client.get("/laws/", query).content)
            rows = csv_rows(client.get(reverse("laws:practice_csv"), query))
            assert rows[0] == ["law", "short_name", *RELATIONS]
            from_csv = {
                relation: {row[1]: int(row[2 + i]) for row in rows[1:] if int(row[2 + i])}
                for i, relation in enumerate(RELATIONS)
            }
            assert from_csv == tables, query

    def test_a_filtered_search_links_to_the_ranking_with_its_filters(self, client, archive):
        page = html.fromstring(client.get("/testimonies/", {"nationality": "burmese"}).content)
        hrefs = [a.get("href") for a in page.cssselect("a[href^='/laws/?']")]
        assert "/laws/?nationality=burmese#practice" in hrefs

    def test_thai_interface(self, client, archive):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        tree = html.fromstring(client.get("/laws/").content)
        assert tree.cssselect("#practice-heading")[0].text == "กฎหมายในทางปฏิบัติ"
        captions = [c.text for c in tree.cssselect("#practice figcaption")]
        assert "กฎหมายที่เจ้าหน้าที่ใช้อ้างกับผู้ทำงานบ่อยที่สุด" in captions
        # Law names in Thai where the law has one.
        assert "พ.ร.บ. ก" in ranking_tables(etree.tostring(tree))["invoked"]
        law_page = html.fromstring(client.get(archive["act"].get_absolute_url()).content)
        headings = [th.text for th in law_page.cssselect("#practice thead th")]
        assert headings[1:] == ["เจ้าหน้าที่ใช้อ้าง", "ถูกละเมิด", "บทคุ้มครองที่ไม่ได้นำมาใช้"]


class BadInputTests:
    @pytest.mark.parametrize(
        "query",
        [
            {"nationality": "martian"},
            {"year_from": "abc"},
            {"year_from": "2012", "year_to": "2010"},
            {"q": "x" * 5000},
        ],
    )
    def test_refused_with_a_message_like_the_search(self, client, archive, query):
        act, a1 = archive["act"], archive["a1"]
        for url in (
            "/laws/",
            act.get_absolute_url(),
            a1.get_absolute_url(),
            reverse("laws:practice_csv"),
            reverse("laws:law_practice_csv", args=[act.slug]),
            reverse("laws:clause_practice_csv", args=[act.slug, a1.slug]),
        ):
            response = client.get(url, query)
            assert response.status_code == 400, (url, query)
            assert response.content

    def test_unknown_and_hostile_parameters_are_ignored(self, client, archive):
        for query in ({"foo": "bar"}, {"q": 'NOT "unclosed ( OR'}, {"<script>": "1"}):
            assert client.get("/laws/", query).status_code == 200
            assert client.get(reverse("laws:practice_csv"), query).status_code == 200


class QueryCountTests:
    def test_the_counts_read_only_the_generation_token(self, archive):
        from django.http import QueryDict

        laws = list(practice.public_laws())
        for count in (
            lambda: practice.law_by_year(QueryDict(), law=archive["act"]),
            lambda: practice.clause_by_year(QueryDict("nationality=burmese"), clause=archive["a1"]),
            lambda: practice.law_rankings(QueryDict("q=zqraidword"), laws=laws),
        ):
            count()  # warms the facet arrays
            with CaptureQueriesContext(connection) as captured:
                count()
            # Counted over the facet columns: the one query is the search's
            # generation token, which says whether the columns are current.
            assert len(captured) == 1, [q["sql"] for q in captured]

    def test_page_query_counts_do_not_grow_with_the_corpus(self, client, archive):
        urls = ["/laws/", archive["act"].get_absolute_url(), archive["a1"].get_absolute_url()]

        def queries(url) -> int:
            client.get(url, {"nationality": "burmese"})
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, {"nationality": "burmese", "page": "1"}).status_code == 200
            return len(captured)

        before = [queries(url) for url in urls]
        for year in range(2000, 2006):
            testimony = factories.make_testimony(nationality="burmese", year_of_events=year)
            link(testimony, archive["a1"], "invoked", "violated")
            link(testimony, archive["b1"], "not-applied")
            factories.publish_testimony(testimony)
        assert [queries(url) for url in urls] == before
