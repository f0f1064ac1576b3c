"""The names of laws and clauses: codes round-trip, citations read as a reader writes them."""

import pytest

from laws.identifiers import citation, clause_code, is_slug, parse_clause_code


def test_clause_code_round_trips():
    assert clause_code("atipa-2008", "s-29") == "atipa-2008:s-29"
    assert parse_clause_code("atipa-2008:s-29") == ("atipa-2008", "s-29")


@pytest.mark.parametrize("code", ["atipa-2008", ":s-29", "atipa-2008:", "a:b:c", "a b:c", "ก:ข"])
def test_parse_clause_code_refuses_what_is_not_a_code(code):
    with pytest.raises(ValueError):
        parse_clause_code(code)


def test_citation():
    assert citation("ATIPA 2008", "s. 29") == "ATIPA 2008, s. 29"


def test_slug_rules():
    assert is_slug("art-9_1")
    assert not is_slug("")
    assert not is_slug("s. 29")
