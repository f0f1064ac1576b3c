"""One door, proven: no public surface shows what public() does not hold.

One testimony and one raid incident in each state (draft, in review,
published, withdrawn), each with its own sentinel word in every text field,
and editors' changes to a law, a clause and violation types waiting in review,
then every public URL (found by walking the resolver, so pages, feeds, APIs
and exports added later are walked too) with real ids, format and protocol
variants, searches for every sentinel, facet filters and error pages, each
requested twice so a cached answer is checked as well.
"""

import datetime
import html
import re
from itertools import product
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from laws.identifiers import parse_clause_code
from laws.services import reference_change_propose
from opendata.sitemaps import SITEMAPS
from pages.services import pages_seed
from releases.models import ReleaseFile
from releases.services import build_release
from testimonies import services
from testimonies.models import Authority, RaidIncident, Status, Testimony, ViolationType
from testimonies.search.facets import FACETS
from testimonies.views import CITATION_FORMATS
from tests.support import factories, urlwalk

pytestmark = pytest.mark.django_db

STATES = ["draft", "review", "published", "withdrawn"]
# Query strings tried on every URL: formats and protocols other pages may speak.
VARIANTS = [
    {},
    {"format": "json"},
    {"format": "csv"},
    {"format": "atom"},
    {"format": "rss"},
    {"page": "2"},
    {"verb": "Identify"},
    {"verb": "ListSets"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
]
# Pages that list no testimony or incident: they cannot show the published one.
# Surfaces about laws, vocabularies or the site itself, which list no testimony or raid.
SHOWS_NO_RECORD = {
    "laws:law_list",
    # A law's or a clause's citation file names the law, never a testimony.
    "laws:law_cite",
    "laws:clause_cite",
    # The law in practice as CSV: counts per law, clause, relation and year.
    "laws:practice_csv",
    "laws:law_practice_csv",
    "laws:clause_practice_csv",
    "laws:clause_as_at_cite",
    # Two versions of a clause side by side: the law's text only.
    "laws:clause_compare",
    "releases:list",
    "api:law-list",
    "api:law-detail",
    "api:clause-list",
    "api:violation-type-list",
    "api:violation-type-detail",
    "api:schema",
    "api:docs",
    "opendata:sitemap",
    "opendata:robots_txt",
    # The archive's own pages; the open-data page is not here: its examples name
    # the newest published testimony.
    "pages:about",
    "pages:methodology",
    "pages:consent",
    "pages:cite",
    "pages:contact",
}
# The search reads at most 32 words; sentinels are searched in batches.
BATCH = 10


def sentinel(state: str, field: str) -> str:
    # One lowercase word, so every search engine keeps it as a single token.
    return f"zq{state}{field.replace('_', '')}qz"


class Archive:
    """The records, their sentinels, and what may or may not be shown."""

    def __init__(self) -> None:
        self.testimonies: dict[str, Testimony] = {}
        self.incidents: dict[str, RaidIncident] = {}
        self.public_words: set[str] = set()  # must show somewhere public
        self.private_words: set[str] = set()  # must never show
        self.laws: dict[str, object] = {}
        self.clauses: dict[str, object] = {}
        self.violation_slugs: dict[str, str] = {}
        self.authority_slugs: list[str] = []

    def word(self, state: str, field: str, *, public: bool | None = None) -> str:
        value = sentinel(state, field)
        shown = state == "published" if public is None else public
        (self.public_words if shown else self.private_words).add(value)
        return value


def _marked(archive: Archive, state: str, field: str) -> str:
    """A marked name after a field's text: the editors' text only, never public."""
    return f" [[name:{archive.word(state, field + 'redacted', public=False)}]]"


def _testimony(
    archive: Archive, state: str, shared_clause, shared_type, reviewer, law
) -> Testimony:
    w = archive.word
    clause = factories.make_clause(law=law, heading=f"Heading for the {state} record")
    archive.laws[state], archive.clauses[state] = clause.law, clause
    violation_type = factories.make_violation_type(label=f"Violation seen in the {state} record")
    archive.violation_slugs[state] = violation_type.slug
    # The published record also hides words behind redaction markers: the
    # editors' text is never public, only its rendering.
    hidden = {
        field: _marked(archive, state, field)
        for field in (
            "title",
            "summary",
            "body",
            "contentnote",
            "source",
            "clausenote",
            "sharedclausenote",
            "violation",
            "sharedviolation",
            "correctionnote",
        )
    }
    # The published record is later narrowed to excerpts (its first paragraph),
    # and a name it first published unmarked is marked and redacted from
    # every version: both become private.
    kept_after_narrowing = state != "published"
    unmarked = w(state, "latername", public=False)
    testimony = factories.make_testimony(
        title=f"Account {w(state, 'title')}{hidden['title']}",
        summary=f"Summary {w(state, 'summary')}{hidden['summary']} by {unmarked}.",
        body=f"[[excerpt]] Paragraph {w(state, 'bodyfirst')}{hidden['body']}.\n\n"
        f"Paragraph {w(state, 'bodysecond', public=kept_after_narrowing)}.",
        narrator_pseudonym=w(state, "pseudonym"),
        content_note=f"Describes {w(state, 'contentnote')}{hidden['contentnote']}.",
        source=f"Interview {w(state, 'source')}{hidden['source']}",
        nationality={"draft": "shan", "review": "cambodian", "published": "burmese"}.get(
            state, "lao"
        ),
        province={"draft": "tak", "review": "bangkok", "published": "chiang-mai"}.get(
            state, "phuket"
        ),
    )
    factories.make_consent(testimony, note=f"Form kept by {w(state, 'consentnote', public=False)}")
    testimony.clause_links.create(
        clause=clause,
        relation="violated",
        note_source=f"Link {w(state, 'clausenote')}{hidden['clausenote']}",
    )
    testimony.clause_links.create(
        clause=shared_clause,
        relation="invoked",
        note_source=f"Link {w(state, 'sharedclausenote')}{hidden['sharedclausenote']}",
    )
    testimony.violations.create(
        violation_type=violation_type,
        perpetrator="police",
        note_source=f"Seen {w(state, 'violation')}{hidden['violation']}",
    )
    testimony.violations.create(
        violation_type=shared_type,
        perpetrator="police",
        note_source=f"Seen {w(state, 'sharedviolation')}{hidden['sharedviolation']}",
    )
    if state == "draft":
        return testimony
    testimony = services.send_to_review(record=testimony, by=reviewer)
    if state == "review":
        return testimony
    testimony = services.publish(record=testimony, by=reviewer)
    if state == "withdrawn":
        return services.withdraw(record=testimony, by=reviewer)
    # A correction, so that the published record has a version 1 and a version 2;
    # it marks the name that version 1 published unmarked.
    testimony.body_source += f"\n\nParagraph {w(state, 'bodycorrected', public=False)}."
    testimony.summary_source = testimony.summary_source.replace(unmarked, f"[[name:{unmarked}]]")
    testimony.save()
    testimony = services.publish(
        record=testimony,
        by=reviewer,
        correction_note=f"Added {w(state, 'correctionnote')}{hidden['correctionnote']}",
    )
    services.versions_apply_redactions(testimony=testimony, by=reviewer)
    # The narrator then narrows consent to excerpts: version 3, and the other
    # paragraphs leave versions 1 and 2 too.
    services.consent_record(
        testimony=testimony,
        scope="excerpts",
        basis="written",
        given_on=datetime.date(2011, 6, 1),
        note=f"Form kept by {w(state, 'consentnote', public=False)}",
        by=reviewer,
    )
    testimony.refresh_from_db()
    return testimony


def _incident(archive: Archive, state: str, authority, reviewer, law) -> RaidIncident:
    w = archive.word
    clause = factories.make_clause(law=law, heading=f"Clause invoked in the {state} raid")
    archive.clauses[f"incident-{state}"] = clause
    incident = factories.make_incident(
        title=f"Raid {w(state, 'incidenttitle')}{_marked(archive, state, 'incidenttitle')}",
        description=f"Described {w(state, 'incidentdescription')}"
        f"{_marked(archive, state, 'incidentdescription')}.",
    )
    incident.authorities.add(authority)
    incident.clauses_invoked.add(clause)
    incident.violations.create(
        violation_type=factories.make_violation_type(),
        perpetrator="police",
        note_source=f"Seen {w(state, 'incidentviolation')}"
        f"{_marked(archive, state, 'incidentviolation')}",
    )
    if state == "draft":
        return incident
    incident = services.send_to_review(record=incident, by=reviewer)
    if state == "review":
        return incident
    incident = services.publish(record=incident, by=reviewer)
    if state == "withdrawn":
        return services.withdraw(record=incident, by=reviewer)
    return incident


def _propose_reference_changes(archive: Archive, clause, violation_type) -> None:
    """Editors' changes to the law, the clause and the violation type every record shows,
    and a new violation type, all waiting in review: never public until published."""
    editor = factories.make_user("Editor")
    w = archive.word
    law = clause.law
    law.summary = f"Proposed {w('proposal', 'lawsummary', public=False)}"
    law.short_name_th = w("proposal", "lawshortname", public=False)
    clause.heading = f"Proposed {w('proposal', 'clauseheading', public=False)}"
    clause.summary = f"Proposed {w('proposal', 'clausesummary', public=False)}"
    violation_type.label = f"Proposed {w('proposal', 'violationlabel', public=False)}"
    violation_type.scope_note = f"Proposed {w('proposal', 'violationscope', public=False)}"
    new_type = ViolationType(
        slug="proposed-type",
        label=f"Proposed {w('proposal', 'newviolation', public=False)}",
        scope_note="A proposed kind.",
    )
    for record, fields in [
        (law, ["summary", "short_name_th"]),
        (clause, ["heading", "summary"]),
        (violation_type, ["label", "scope_note"]),
        (new_type, ["slug", "label", "scope_note"]),
    ]:
        reference_change_propose(record=record, fields=fields, m2m={}, by=editor)
        if record.pk:
            record.refresh_from_db()


@pytest.fixture
def archive(db) -> Archive:
    archive = Archive()
    pages_seed()
    reviewer = factories.make_user("Reviewer")
    # One law for what public records concern, one for what only the others do.
    public_law, private_law = factories.make_law(), factories.make_law()
    law_of = {state: public_law if state == "published" else private_law for state in STATES}
    shared_clause = factories.make_clause(law=public_law, heading="Clause every record concerns")
    archive.clauses["shared"] = shared_clause
    shared_type = factories.make_violation_type(label="Violation every record shows")
    _propose_reference_changes(archive, shared_clause, shared_type)
    authorities = list(Authority.objects.order_by("pk")[:4])
    for state in STATES:
        archive.testimonies[state] = _testimony(
            archive, state, shared_clause, shared_type, reviewer, law_of[state]
        )
    for state, authority in zip(STATES, authorities, strict=True):
        archive.incidents[state] = _incident(archive, state, authority, reviewer, law_of[state])
        archive.authority_slugs.append(authority.slug)
    # A violation the published testimony shares with the draft raid: shown
    # nowhere until the raid is published too.
    archive.testimonies["published"].violations.create(
        violation_type=shared_type,
        incident=archive.incidents["draft"],
        perpetrator="police",
        note=f"Seen {archive.word('published', 'draftraidviolation', public=False)}",
    )
    # Every incident recounted by every testimony: each page must filter the other side.
    for incident in archive.incidents.values():
        incident.testimonies.add(*archive.testimonies.values())
    # Translation links both ways between the published record and hidden ones:
    # the side-by-side view must show only a published counterpart.
    published = archive.testimonies["published"]
    Testimony.objects.filter(pk=published.pk).update(translation_of=archive.testimonies["draft"])
    Testimony.objects.filter(
        pk__in=[archive.testimonies[s].pk for s in ("review", "withdrawn")]
    ).update(translation_of=published)
    # Guards the fixture itself: the states are what the walk assumes.
    for state in STATES:
        assert archive.testimonies[state].status == Status(state)
        assert archive.incidents[state].status == Status(state)
    assert Testimony.objects.public().get() == archive.testimonies["published"]
    assert RaidIncident.objects.public().get() == archive.incidents["published"]
    assert archive.testimonies["published"].versions.count() == 3
    # A dataset release of this archive: every one of its files is walked too.
    build_release()
    return archive


def _candidates(archive: Archive) -> dict[str, list[str]]:
    """Every real value for each path parameter, public or not."""
    laws = {clause.law for clause in archive.clauses.values()}
    clauses = list(archive.clauses.values())
    ids = [r.public_id for r in (*archive.testimonies.values(), *archive.incidents.values())]
    return {
        "public_id": [i for i in ids if i] + ["T-9999", "R-9999"],
        "number": ["1", "2", "3"],
        "fmt": list(CITATION_FORMATS),
        "format": ["json", "csv", "bib", "atom", "rss", "xml"],
        "law_slug": sorted(law.slug for law in laws),
        "clause_slug": sorted({clause.slug for clause in clauses}),
        # The clauses here have no stored versions: each has one, from its law's year.
        "as_at": sorted({f"{law.year}-06-01" for law in laws}),
        "old": sorted({f"{law.year}-01-01" for law in laws}),
        "new": sorted({f"{law.year}-01-01" for law in laws}),
        "slug": sorted({law.slug for law in laws} | {clause.slug for clause in clauses}),
        "pk": [str(r.pk) for r in archive.testimonies.values()],
        "code": sorted(ViolationType.objects.values_list("slug", flat=True)),
        "section": sorted(SITEMAPS),
        "name": [*sorted(ReleaseFile.objects.values_list("name", flat=True)), "SECRETS"],
    }


def _param_names(name: str) -> list[str]:
    for namespaces, pattern in urlwalk.walk():
        if urlwalk.full_name(namespaces, pattern) == name:
            return urlwalk.parameters(pattern)
    return []


def _paths(archive: Archive) -> dict[str, list[str]]:
    """Every URL of every public pattern with real values filled in, by pattern name."""
    candidates = _candidates(archive)
    paths, missing = {}, []
    for namespaces, pattern in urlwalk.walk():
        name = urlwalk.full_name(namespaces, pattern)
        if name in urlwalk.FORM_TARGETS:
            continue
        params = urlwalk.parameters(pattern)
        unknown = [p for p in params if p not in candidates]
        if name is None or unknown:
            missing.append(f"{name or pattern.pattern}: no real values for {unknown}")
            continue
        urls = []
        for values in product(*(candidates[p] for p in params)):
            try:
                urls.append(reverse(name, kwargs=dict(zip(params, values, strict=True))))
            except Exception:
                continue  # a combination the pattern does not accept
        paths[name] = urls
    assert not missing, "Public patterns this walk cannot fill in:\n" + "\n".join(missing)
    return paths


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # Entities decoded so that an escaped word is found too.
    return html.unescape(content.decode("utf-8", "replace"))


def _get_twice(client, url: str) -> list[tuple[int, str]]:
    """The answer, then the same again: a cache must not serve anything else."""
    return [(r.status_code, _text(r)) for r in (client.get(url), client.get(url))]


def _leaks(archive: Archive, text: str) -> list[str]:
    return sorted(word for word in archive.private_words if word in text)


@pytest.fixture(autouse=True)
def unthrottled(settings):
    """The walk asks thousands of questions; a 429 would hide what a page shows."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute", "export": "1000000/minute"},
    }


# The law in practice as CSV answers from the same search as the page it belongs
# to (the law index, a law, a clause), which the walk already searches for every
# hidden word: searching each file again would double the walk and show nothing new.
SEARCHED_THROUGH_THEIR_PAGE = {
    "laws:practice_csv",
    "laws:law_practice_csv",
    "laws:clause_practice_csv",
}


def test_no_public_surface_shows_a_non_public_record(client, archive):
    published_t, published_i = archive.testimonies["published"], archive.incidents["published"]
    shows_published = {published_t.public_id, published_i.public_id, *archive.public_words}
    facet_filters = [
        *({"law": slug} for slug in {law.slug for law in archive.laws.values()}),
        *({"clause": f"{clause.law.slug}:{clause.slug}"} for clause in archive.clauses.values()),
        *({"violation": slug} for slug in archive.violation_slugs.values()),
        *({"authority": slug} for slug in archive.authority_slugs),
        {"nationality": "shan"},
        {"province": "tak"},
    ]
    private = sorted(archive.private_words)
    searches = [private[i : i + BATCH] for i in range(0, len(private), BATCH)]
    answered, shown_on, searched = {}, set(), set()
    listing_params = {"law_slug", "clause_slug", "slug"}
    for name, urls in _paths(archive).items():
        for url in urls:
            if client.get(url).status_code == 404:
                queries = [{}]  # no such record or page: its 404 is still checked
            elif set(_param_names(name)) <= listing_params:
                queries = [*VARIANTS, *facet_filters]
            else:
                queries = VARIANTS[:2]
            for query in queries:
                full = f"{url}?{urlencode(query)}" if query else url
                for status, text in _get_twice(client, full):
                    assert status < 500, (full, status)
                    assert not _leaks(archive, text), (full, status, _leaks(archive, text))
                    answered.setdefault(name, set()).add(status)
                    if status == 200 and any(word in text for word in shows_published):
                        shown_on.add(name)
            if (
                len(queries) > 2
                and name not in SEARCHED_THROUGH_THEIR_PAGE
                and not (connection.vendor == "postgresql" and name in searched)
            ):
                # On PostgreSQL each search here costs seconds (a "did you mean"
                # probes the index once per candidate word): every page pattern is
                # searched for every hidden word once; SQLite searches every page.
                searched.add(name)
                for words in searches:
                    _assert_search_shows_nothing(client, archive, url, words)
    # The walk reached every surface: each answered 200 with the published records.
    assert all(200 in statuses for statuses in answered.values()), answered
    assert set(answered) - SHOWS_NO_RECORD <= shown_on, set(answered) - shown_on


def _assert_search_shows_nothing(client, archive: Archive, url: str, words: list[str]) -> None:
    """Searching for hidden words finds nothing: each shows no more than a never-written word.

    A page may echo the search (in the box, in links); a word that was never
    written anywhere is echoed as often, and so gives the yardstick.
    """
    controls = [f"zqneverwritten{n}qz" for n in range(len(words))]
    found = _get_twice(client, f"{url}?{urlencode({'q': ' OR '.join(words)})}")
    control = _get_twice(client, f"{url}?{urlencode({'q': ' OR '.join(controls)})}")
    for (status, text), (control_status, control_text) in zip(found, control, strict=True):
        assert status == control_status, (url, words)
        for word, never in zip(words, controls, strict=True):
            assert text.count(word) == control_text.count(never), (url, word)


def test_every_sentinel_search_agrees_with_public(client, archive):
    url = reverse("testimonies:testimony_list")
    for word in sorted(archive.private_words):
        _assert_search_shows_nothing(client, archive, url, [word])
    published = archive.testimonies["published"]
    for field in ("title", "summary", "bodyfirst", "pseudonym"):
        response = client.get(url, {"q": sentinel("published", field)})
        assert _total(response) == 1, field
        assert published.public_id in _text(response)


TOTAL_RE = re.compile(r'id="results-heading"[^>]*>\s*(\d+) testimon')
FACET_RE = re.compile(r'<fieldset class="facet" id="facet-([a-z_]+)">(.*?)</fieldset>', re.DOTALL)
OPTION_RE = re.compile(
    r'<input type="checkbox" name="[a-z_]+" value="([^"]*)"[^>]*>'
    r'.*?<span class="count">(\d+)</span>',
    re.DOTALL,
)


def _total(response) -> int:
    assert response.status_code == 200
    return int(TOTAL_RE.search(response.content.decode()).group(1))


def _facet_counts(response) -> dict[str, dict[str, int]]:
    content = response.content.decode()
    return {
        name: {html.unescape(code): int(n) for code, n in OPTION_RE.findall(block)}
        for name, block in FACET_RE.findall(content)
    }


def _public_count(facet: str, code: str) -> int:
    """The count of public testimonies with this facet value, straight from the ORM."""
    public = Testimony.objects.public()
    if facet == "violation":
        matching = public.filter(violations__violation_type__slug=code)
    elif facet == "law":
        matching = public.filter(clause_links__clause__law__slug=code)
    elif facet == "clause":
        law_slug, clause_slug = parse_clause_code(code)
        matching = public.filter(
            clause_links__clause__law__slug=law_slug, clause_links__clause__slug=clause_slug
        )
    elif facet == "authority":
        matching = public.filter(
            incidents__in=RaidIncident.objects.public(), incidents__authorities__slug=code
        )
    else:
        matching = public.filter(**{facet: code})
    return matching.distinct().count()


def _assert_facets_match_public(response, *, fixed: str = "") -> None:
    counts = _facet_counts(response)
    for facet in FACETS:
        if facet.name == fixed:
            continue  # the page pins this one and does not list it
        listed = counts.get(facet.name, {})
        # Every value listed has the count over public(), and no public value is missing.
        for code, count in listed.items():
            assert count == _public_count(facet.name, code), (facet.name, code)
        # A page with results lists each facet (every public record has every facet).
        assert bool(listed) == bool(_total(response)), facet.name


def test_counts_equal_counts_over_public(client, archive):
    expand = {"expand": [facet.name for facet in FACETS]}
    url = reverse("testimonies:testimony_list")
    response = client.get(url, expand)
    assert _total(response) == Testimony.objects.public().count() == 1
    _assert_facets_match_public(response)
    counted = _facet_counts(response)
    for facet in ("nationality", "province", "law", "clause", "violation"):
        assert counted[facet], facet
    # Filtering on a value only non-public records have finds nothing at all.
    for state in ("draft", "review", "withdrawn"):
        for query in (
            {"law": archive.laws[state].slug},
            {"violation": archive.violation_slugs[state]},
        ):
            assert _total(client.get(url, query)) == 0, query

    # Law and clause pages: their tables and their pinned searches.
    public = Testimony.objects.public()
    response = client.get(reverse("laws:law_list"))
    text = response.content.decode()
    for law in {clause.law for clause in archive.clauses.values()}:
        row = re.search(
            rf'href="{re.escape(law.get_absolute_url())}".*?<td>(\d+)</td><td>(\d+)</td></tr>',
            text,
            re.DOTALL,
        )
        expected = public.filter(clause_links__clause__law=law).distinct().count()
        assert int(row.group(2)) == expected, law.slug
    for clause in archive.clauses.values():
        expected = public.filter(clause_links__clause=clause).distinct().count()
        law_page = client.get(clause.law.get_absolute_url(), expand)
        row = re.search(
            # The heading cell holds the heading in a <span> of its own language.
            rf'href="{re.escape(clause.get_absolute_url())}">[^<]*</a></td><td[^>]*>.*?</td>'
            r"<td>(\d+)</td>",
            law_page.content.decode(),
        )
        assert int(row.group(1)) == expected, clause.slug
        assert (
            _total(law_page)
            == public.filter(clause_links__clause__law=clause.law).distinct().count()
        )
        _assert_facets_match_public(law_page, fixed="law")
        clause_page = client.get(clause.get_absolute_url(), expand)
        assert _total(clause_page) == expected
        _assert_facets_match_public(clause_page, fixed="clause")


def test_error_pages_show_nothing_private(client, archive):
    withdrawn = archive.testimonies["withdrawn"].public_id
    answers = {
        f"/testimonies/{withdrawn}/": 410,
        f"/testimonies/{withdrawn}/v1/": 410,
        f"/incidents/{archive.incidents['withdrawn'].public_id}/": 404,
        "/testimonies/T-9999/": 404,
        "/no-such-page/": 404,
        "/testimonies/?page=99": 200,  # the last page, with a notice
        "/api/testimonies/?page=99": 400,
        "/testimonies/?" + "&".join(f"p{i}=1" for i in range(1500)): 400,
    }
    for url, expected in answers.items():
        for status, text in _get_twice(client, url):
            assert status == expected, url
            assert not _leaks(archive, text), url
