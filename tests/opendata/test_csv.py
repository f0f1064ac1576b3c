"""The CSV twin of a search: same rows, same order, safe in a spreadsheet."""

import csv
import io

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from opendata.exports import COLUMNS, neutralise
from testimonies.search.columns import facet_data
from testimonies.search.faceted import search
from testimonies.search.params import search_params
from tests.opendata.conftest import FORMULA

pytestmark = pytest.mark.django_db

EXPORT = reverse("opendata:search_csv")
SEARCHES = [
    "",
    "q=shelter",
    "q=shelter+-doctor",
    "q=wages&sort=year-asc",
    "q=raid+OR+doctor&sort=relevance",
    "nationality=burmese&nationality=thai",
    "province=tak&year_from=2009&year_to=2011",
    "law=atipa-2008&sort=recorded",
    "clause=iccpr:art-9&violation=x-placeholder",
    "language=th",
    "sort=year",
]


def download(client, query: str = "", **extra) -> tuple[bytes, list[dict]]:
    response = client.get(f"{EXPORT}?{query}", **extra)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return body, rows


def page_order(query: str) -> tuple[int, list[str]]:
    """What the search pages list, page after page, 20 at a time."""
    data = facet_data()
    params = search_params(QueryDict(query), facet_data=data)
    first = search(params, per_page=3, data=data)
    ids = [hit.testimony.public_id for hit in first.hits]
    for page in range(2, first.num_pages + 1):
        query_page = QueryDict(query, mutable=True)
        query_page["page"] = str(page)
        params = search_params(query_page, facet_data=data)
        ids += [hit.testimony.public_id for hit in search(params, per_page=3, data=data).hits]
    return first.total, ids


class SearchCsvTests:
    @pytest.mark.parametrize("query", SEARCHES)
    def test_rows_and_order_equal_the_search_pages(self, client, open_archive, query):
        query = query.replace("x-placeholder", open_archive["violation_type"].slug)
        total, ordered = page_order(query)
        _body, rows = download(client, query)
        assert len(rows) == total
        assert [row["public_id"] for row in rows] == ordered

    def test_searches_in_the_suite_are_not_all_trivial(self, client, open_archive):
        sizes = {len(download(client, query)[1]) for query in SEARCHES[:6]}
        assert len(sizes) > 2

    def test_every_column_of_a_row(self, client, open_archive):
        _body, rows = download(client, "q=wages+raid")
        (row,) = rows
        testimony = open_archive["published"][1]
        assert list(row) == COLUMNS
        assert row["permalink"] == f"http://testserver/testimonies/{testimony.public_id}/"
        assert row["title"] == "Wages lost in the raid"
        assert row["nationality"] == "Shan"
        assert row["province"] == "Chiang Mai"
        assert row["year_of_events"] == "2011"
        assert row["language"] == "English"
        assert row["violation_types"] == "Arbitrary detention"
        assert row["clauses"] == "ATIPA 2008, s. 29; ICCPR, Art. 9"
        assert row["summary"] == "Lost savings."
        assert row["first_published"] and row["first_published"] == row["last_published"]

    def test_formulas_come_out_as_text(self, client, open_archive):
        _body, rows = download(client)
        by_id = {row["public_id"]: row for row in rows}
        formula = by_id[open_archive["published"][4].public_id]
        assert formula["title"] == formula["summary"] == "'" + FORMULA
        starts = {row["title"][:2] for row in rows} | {row["summary"][:2] for row in rows}
        assert {"'+", "'-", "'@", "'\t", "'\r"} <= starts
        assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row.values() if cell)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("plain = text", "plain = text"),
            ("", ""),
            (2011, 2011),
        ],
    )
    def test_neutralise(self, value, expected):
        assert neutralise(value) == expected

    def test_bom_for_excel_only_on_request(self, client, open_archive):
        plain, _rows = download(client, "language=th")
        excel, rows = download(client, "language=th&bom=1")
        assert not plain.startswith(b"\xef\xbb\xbf")
        assert excel.startswith(b"\xef\xbb\xbf")
        assert excel[3:] == plain
        assert rows[0]["title"] == "ถูกกักตัวในสถานคุ้มครอง"

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("nationality=martian", "martian"),
            ("sort=random", "random"),
            ("year_from=2012&year_to=2001", "first year"),
            ("year_from=abc", "Enter a whole number"),
            ("bom=yes", "bom"),
            ("q=" + "x" * 600, "500"),
        ],
    )
    def test_bad_parameters_get_a_400_with_a_message(self, client, open_archive, query, message):
        response = client.get(f"{EXPORT}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_the_page_number_is_ignored(self, client, open_archive):
        assert download(client, "page=99")[1] == download(client)[1]


class ThrottleTests:
    def test_past_the_rate_exports_get_429_with_retry_after(self, client, open_archive):
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["export"].split("/")[0])
        for _ in range(allowed):
            assert client.get(EXPORT).status_code == 200
        refused = client.get(EXPORT)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "throttled" in refused.json()["detail"].lower()
        # Other pages are not counted against the export rate.
        assert client.get(reverse("testimonies:testimony_list")).status_code == 200

    def test_a_429_is_not_a_406_whatever_the_client_accepts(self, client, open_archive):
        allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["export"].split("/")[0])
        for _ in range(allowed):
            client.get(EXPORT, headers={"accept": "text/csv"})
        assert client.get(EXPORT, headers={"accept": "text/csv"}).status_code == 429


class SearchPageLinkTests:
    def test_the_search_page_links_its_csv_with_the_same_parameters(self, client, open_archive):
        page = client.get(reverse("testimonies:testimony_list"), {"q": "shelter", "page": "1"})
        html = page.content.decode()
        assert f'href="{EXPORT}?q=shelter"' in html
        assert f'href="{EXPORT}?q=shelter&amp;bom=1"' in html

    def test_a_clause_page_links_the_csv_of_its_own_testimonies(self, client, open_archive):
        clause = open_archive["clauses"][0]
        html = client.get(clause.get_absolute_url()).content.decode()
        assert f'href="{EXPORT}?clause=atipa-2008%3As-29"' in html
        _body, rows = download(client, "clause=atipa-2008%3As-29")
        assert len(rows) == 4
