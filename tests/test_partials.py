"""The shared list partials: one pagination for every list, one card for every testimony."""

from django.template.loader import render_to_string
from django.test import RequestFactory


def pagination(path: str, **context) -> str:
    return render_to_string("_pagination.html", {"request": RequestFactory().get(path), **context})


def test_pagination_keeps_the_query_and_names_the_direction():
    html = pagination("/testimonies/?q=shelter&page=2", page_number=2, page_count=3)
    assert 'href="?q=shelter&amp;page=1"' in html
    assert 'href="?q=shelter&amp;page=3"' in html
    assert "Previous" in html and "Next" in html
    assert "Page 2 of 3" in html


def test_a_list_in_date_order_says_newer_and_older():
    html = pagination("/incidents/", page_number=1, page_count=2, newest_first=True)
    assert 'rel="prev"' not in html
    assert "Older" in html and 'href="?page=2"' in html


def test_one_page_needs_no_pagination():
    assert "pagination" not in pagination("/incidents/", page_number=1, page_count=1)
