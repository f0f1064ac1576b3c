"""Hostile input on every public endpoint: a clear answer, never a 500, never more data.

The endpoints are found by walking the URL resolver, so a page or API added
later is covered without touching this file (unless its path takes a
parameter this file has no real value for: then the test says which).
"""

import re
from itertools import product
from urllib.parse import quote

import pytest
from django.urls import reverse

from pages.services import pages_seed
from releases.services import build_release
from testimonies.models import Authority
from testimonies.search.facets import FACETS
from testimonies.search.params import SearchForm
from tests.support import factories, urlwalk

pytestmark = pytest.mark.django_db

ANSWERS = {200, 301, 302, 400, 404, 405, 410, 429}
# Form targets get the hostile input all the same.
EXTRA_PUBLIC_URLS = ["/admin/login/", *urlwalk.FORM_TARGETS.values()]

SEARCH_NAMES = [*SearchForm.base_fields, *(facet.name for facet in FACETS)]
# Names other endpoints (APIs, exports, citations) commonly read, and lookups an
# ORM-backed filter might pass through unchecked.
OTHER_NAMES = [
    "paragraph",
    "format",
    "cursor",
    "limit",
    "offset",
    "page_size",
    "ordering",
    "fields",
    "id",
    "public_id",
    "status",
    "narrator__startswith",
    "narrator_pseudonym__icontains",
    "status__in",
    "body__regex",
]
NAMES = [*SEARCH_NAMES, *OTHER_NAMES]

# Raw, already percent-encoded, so that invalid UTF-8 reaches the server as sent.
HOSTILE_VALUES = {
    "fts5-near": quote('NEAR(police shelter, 2) "raid" * ^start col:value'),
    "tsquery": quote("police & !shelter | (raid <-> night):* "),
    "operators-only": quote('* ^ : & | ! <-> - " ( ) AND OR NOT NEAR'),
    "unbalanced-quote": quote('"police shelter'),
    "nul": "a%00b",
    "lone-surrogate": "%ED%A0%80",
    "invalid-utf8": "%FF%FE",
    "thai-digits": quote("๒๕๕๕"),
    "thai-text": quote('ตำรวจ "ล่าม'),
    "negative": "-1",
    "huge-number": "9" * 40,
    "absurd-page": "99999999",
    "float": "1e308",
    "unknown-value": "no-such-value",
    "empty": "",
    "sql": quote("' OR 1=1 --"),
    "html": quote('<script>alert(1)</script>"><img src=x>'),
    "control": "%01%1B%7F",
    "long-100kb": "a" * 100_000,
    # Within the length limit, but NFKC turns each character into four: one word
    # of 6,000 bytes, past PostgreSQL's 2,047-byte limit on a lexeme.
    "expands-to-a-huge-word": quote("\u3300" * 500),
}
# Only some of these are also sent one name at a time (the rest go in one request
# per value with every name at once): enough to find a name whose parsing breaks.
SINGLE_NAME_VALUES = ["invalid-utf8", "thai-digits", "expands-to-a-huge-word"]
HOSTILE_PATH_VALUES = ["a%00b", "%ED%A0%80", "%FF", quote("๒๕๕๕"), "a" * 10_000, "..%2F..%2F"]


@pytest.fixture
def archive(db):
    """Two published testimonies that differ in every facet, so each facet has a
    real value that selects one of them: the yardstick for "no wider". The
    archive's own pages are there too, as load_archive writes them."""
    pages_seed()
    clause = factories.make_clause()
    violation_type = factories.make_violation_type()
    first = factories.make_testimony(
        nationality="burmese",
        age_group="18-24",
        work_setting="karaoke",
        province="chiang-mai",
        language="en",
        year_of_events=2010,
    )
    first.clause_links.create(clause=clause, relation="violated")
    first.violations.create(violation_type=violation_type, perpetrator="police")
    first = factories.publish_testimony(first)
    second = factories.publish_testimony(
        nationality="shan",
        age_group="25-34",
        work_setting="massage",
        province="tak",
        language="th",
        year_of_events=2005,
    )
    authority = Authority.objects.order_by("pk").first()
    incident = factories.make_incident()
    incident.authorities.add(authority)
    incident.testimonies.add(first)
    incident = factories.publish_incident(incident)
    build_release()  # so that /data/1/ and its files answer
    return {
        "first": first,
        "second": second,
        "clause": clause,
        "incident": incident,
        "real": {
            "nationality": "burmese",
            "age_group": "18-24",
            "work_setting": "karaoke",
            "province": "chiang-mai",
            "language": "en",
            "violation": violation_type.slug,
            "law": clause.law.slug,
            "clause": f"{clause.law.slug}:{clause.slug}",
            "authority": authority.slug,
        },
    }


def _candidates(archive) -> dict[str, list[str]]:
    """Real values for path parameters; the first combination answering 200 is used."""
    first, incident, clause = archive["first"], archive["incident"], archive["clause"]
    return {
        "public_id": [first.public_id, incident.public_id],
        "number": ["1"],
        "fmt": ["bib", "ris", "json"],
        "format": ["json", "csv", "bib"],
        "law_slug": [clause.law.slug],
        "clause_slug": [clause.slug],
        # A clause with no stored versions has one, from 1 January of its law's year.
        "as_at": [f"{clause.law.year}-06-01"],
        "old": [f"{clause.law.year}-01-01"],
        "new": [f"{clause.law.year}-01-01"],
        "slug": [clause.law.slug, clause.slug],
        "pk": [str(first.pk)],
        "section": ["testimonies"],
        "code": [archive["real"]["violation"]],
        "name": ["testimonies.csv"],
    }


def public_urls(client, archive) -> list[tuple[str, str, dict[str, str]]]:
    """(name, url, path kwargs) of every public endpoint, with real values filled in."""
    candidates = _candidates(archive)
    urls, missing = [], []
    for namespaces, pattern in urlwalk.walk():
        params = urlwalk.parameters(pattern)
        name = urlwalk.full_name(namespaces, pattern)
        if name is None:
            missing.append(f"{pattern.pattern!s}: give it a name so it can be reversed")
            continue
        if name in urlwalk.FORM_TARGETS:
            continue
        unknown = [p for p in params if p not in candidates]
        if unknown:
            missing.append(f"{name}: add real values for {unknown} to _candidates()")
            continue
        for values in product(*(candidates[p] for p in params)):
            kwargs = dict(zip(params, values, strict=True))
            try:
                url = reverse(name, kwargs=kwargs)
            except Exception:
                continue
            if client.get(url).status_code == 200:
                urls.append((name, url, kwargs))
                break
        else:
            missing.append(f"{name}: no combination of {params} answered 200")
    assert not missing, "Endpoints this test cannot reach:\n" + "\n".join(missing)
    urls += [(url, url, {}) for url in EXTRA_PUBLIC_URLS]
    return urls


def body_of(response) -> bytes:
    """The whole body, streamed (CSV exports) or not; read once and kept."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content)
    return response.read_body


def _check(response, what: str) -> None:
    assert response.status_code in ANSWERS, (what, response.status_code)
    body = body_of(response)
    assert b"Traceback" not in body and b'id="traceback"' not in body, what


TOTAL_RE = re.compile(rb'id="results-heading"[^>]*>\s*(\d+) testimon')


def result_count(response) -> int | None:
    """How many testimonies a 200 answer lists, where the format says so."""
    if response.status_code != 200:
        return None
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        match = TOTAL_RE.search(response.content)
        return int(match.group(1)) if match else None
    if "csv" in content_type:
        return max(0, len(body_of(response).decode().strip().splitlines()) - 1)
    if "json" in content_type:
        data = response.json()
        if isinstance(data, dict) and isinstance(data.get("count"), int):
            return data["count"]
    return None


def test_every_public_endpoint_is_found(client, archive):
    names = {name for name, _url, _kwargs in public_urls(client, archive)}
    # The walk must see at least today's pages; new ones only add to this.
    assert {
        "testimonies:home",
        "testimonies:testimony_list",
        "testimonies:testimony_detail",
        "testimonies:testimony_cite",
        "testimonies:testimony_version",
        "testimonies:incident_list",
        "testimonies:incident_detail",
        "testimonies:incident_cite",
        "laws:law_list",
        "laws:law_detail",
        "laws:law_cite",
        "laws:clause_detail",
        "laws:clause_cite",
    } <= names


def test_hostile_query_strings_get_a_clear_answer(client, archive):
    for _name, url, _kwargs in public_urls(client, archive):
        for label, value in HOSTILE_VALUES.items():
            query = "&".join(f"{name}={value}" for name in NAMES)
            response = client.get(f"{url}?{query}")
            _check(response, f"{url} all names = {label}")
            # A refusal of one name could hide what another does: then one at a time.
            if response.status_code == 400 and label in SINGLE_NAME_VALUES:
                for name in NAMES:
                    _check(client.get(f"{url}?{name}={value}"), f"{url} {name} = {label}")
        # Hostile names too, and the same name many times.
        _check(client.get(f"{url}?%00=1&%FF=2&{'x' * 5000}=3"), f"{url} hostile names")
        _check(client.get(f"{url}?{'&'.join(['q=police'] * 900)}"), f"{url} repeated q")


def test_hostile_path_parameters_get_a_clear_answer(client, archive):
    for name, url, kwargs in public_urls(client, archive):
        for param, real in kwargs.items():
            for value in HOSTILE_PATH_VALUES:
                hostile = url.replace(quote(real), value, 1)
                assert hostile != url
                _check(client.get(hostile), f"{name} {param} = {value[:20]}")


def test_thousands_of_parameters_get_a_400_that_says_why(client, archive):
    query = "&".join(f"p{i}=1" for i in range(5000))
    refused = []
    for _name, url, _kwargs in public_urls(client, archive):
        response = client.get(f"{url}?{query}")
        # A page that never reads its query string may answer it as usual.
        assert response.status_code in (200, 400), url
        if response.status_code == 400:
            assert b"Too many parameters in the address: at most 1,000" in response.content, url
            refused.append(url)
    assert reverse("testimonies:testimony_list") in refused


def test_unknown_or_malformed_filters_never_widen_the_result(client, archive):
    """A value a filter does not know must narrow (or be refused), never be ignored."""
    listings = 0
    for name, url, _kwargs in public_urls(client, archive):
        if result_count(client.get(url)) is None:
            continue  # not a list of testimonies, or one whose size this test cannot read
        listings += 1
        for facet, real in archive["real"].items():
            narrowed = result_count(client.get(url, {facet: real}))
            for label in ("unknown-value", "nul", "thai-digits", "sql", "long-100kb"):
                response = client.get(f"{url}?{facet}={HOSTILE_VALUES[label]}")
                _check(response, f"{url} {facet} = {label}")
                count = result_count(response)
                if count is not None:
                    assert narrowed is not None and count <= narrowed, (name, facet, label, count)
        for year in ("year_from", "year_to"):
            for label in ("thai-digits", "huge-number", "negative", "float"):
                response = client.get(f"{url}?{year}={HOSTILE_VALUES[label]}")
                _check(response, f"{url} {year} = {label}")
    assert listings >= 3  # the search page, and the law and clause pages' searches


def test_the_yardstick_really_narrows(client, archive):
    # Guards the test above: each real value selects one of the two testimonies.
    url = reverse("testimonies:testimony_list")
    assert result_count(client.get(url)) == 2
    for facet, real in archive["real"].items():
        assert result_count(client.get(url, {facet: real})) == 1, facet
