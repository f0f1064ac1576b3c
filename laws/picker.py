"""The clause picker of the admin: clauses ranked by how well they match a citation.

Editors type a citation ("atipa 29", "ATIPA s. 29", "atipa-2008/s-29",
"พ.ร.บ.ค้ามนุษย์ ม. 29") far more often than a heading's words. A match on the
citation (the law's names, the clause's number, the import key) therefore
ranks above a match in the text, and among clauses that share a number the
one the archive links most often comes first, then Thai statutes before the
Constitution and treaties: a bare "29" means ATIPA s. 29 far more often than
the Constitution's, and taking the first option once linked the wrong law.

The laws are a short table, so they are matched in Python; the clauses'
numbers and slugs (a few thousand short rows at most) too, and the ranks are
handed back to the database as one CASE, so the picker still pages in SQL.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from laws.identifiers import ClauseQuery, clause_number_key, normalise, parse_clause_query
from laws.models import Clause, Law

# How a clause matched, best first. A law's own score (see ``_law_score``) is added
# to the citation ranks, so "ATIPA" beats a law whose title merely holds the word.
CODE = 1000
LAW_AND_NUMBER = 500
NUMBER = 400
LAW_AND_NUMBER_BEGINNING = 300
LAW = 200
TEXT = 100

# Among equal matches: statutes the accounts are read against, then the
# Constitution, then international instruments.
_KIND_ORDER = ["act", "code", "regulation", "constitution", "treaty", "protocol", "guideline"]


@dataclass(frozen=True)
class _LawNames:
    pk: int
    slug: str
    short_words: frozenset[str]  # words of the short names, the slug and the years
    short_text: str  # the short names, normalised, for Thai words
    long_words: frozenset[str]
    long_text: str

    @classmethod
    def of(cls, law: Law) -> "_LawNames":
        short = [law.short_name, law.short_name_th, law.slug.replace("-", " "), str(law.year)]
        if law.year_be:
            short.append(str(law.year_be))
        long = [law.title_en, law.title_th]
        short_text = normalise(" ".join(short))
        long_text = normalise(" ".join(long))
        return cls(
            pk=law.pk,
            slug=law.slug,
            short_words=frozenset(short_text.split()),
            short_text=short_text,
            long_words=frozenset(long_text.replace(",", " ").split()),
            long_text=long_text,
        )


def _word_found(token: str, words: frozenset[str], text: str) -> bool:
    # Thai is written without spaces: a Thai word is looked for inside the name.
    # A Latin one must begin a word, so "ia" finds IA 1979 and not "especially".
    if not token.isascii():
        return token in text
    return any(word.startswith(token) for word in words)


def _law_score(law_words: str, law: _LawNames) -> int:
    """3: the short name or slug itself; 2: words of the short names; 1: of the titles."""
    if law_words in (law.slug, law.short_text) or law_words in law.short_words:
        return 3
    tokens = law_words.split()
    if all(_word_found(token, law.short_words, law.short_text) for token in tokens):
        return 2
    names = law.short_words | law.long_words
    text = f"{law.short_text} {law.long_text}"
    if all(_word_found(token, names, text) for token in tokens):
        return 1
    return 0


def _citation_scores(query: ClauseQuery, laws: Iterable[_LawNames]) -> dict[int, int]:
    """Each clause the citation matches, with its rank."""
    laws = list(laws)
    if query.code:
        law_slug, clause_slug = query.code
        law_pks = [law.pk for law in laws if law.slug == law_slug]
        return {
            pk: CODE
            for pk in Clause.objects.filter(law__in=law_pks, slug=clause_slug).values_list(
                "pk", flat=True
            )
        }
    readings = [(query.law_words, query.number)]
    if query.number and not query.number_marked:
        # "ATIPA 2008": the number may be the law's year.
        readings.append((f"{query.law_words} {query.number}".strip(), ""))
    scores: dict[int, int] = {}
    rows = None
    for law_words, number in readings:
        if not (law_words or number):
            continue
        law_scores = {law.pk: score for law in laws if (score := _law_score(law_words, law))}
        if law_words and not law_scores:
            continue
        if rows is None:
            rows = list(Clause.objects.values_list("pk", "law_id", "number"))
        for pk, law_id, cited in rows:
            score = _clause_score(law_words, number, law_scores.get(law_id, 0), cited)
            if score > scores.get(pk, 0):
                scores[pk] = score
    return scores


def _clause_score(law_words: str, number: str, law_score: int, cited: str) -> int:
    if law_words and not law_score:
        return 0
    if not number:
        return LAW + law_score
    key = clause_number_key(cited)
    if key == number:
        return LAW_AND_NUMBER + law_score if law_words else NUMBER
    if law_words and key.startswith(number):
        return LAW_AND_NUMBER_BEGINNING + law_score
    return 0


def rank_clauses(
    queryset: QuerySet[Clause], term: str, text_matches: QuerySet[Clause]
) -> QuerySet[Clause]:
    """``queryset`` narrowed to the clauses ``term`` cites or whose text matches, best first.

    ``text_matches`` are the clauses the admin's word search finds (headings,
    summaries, names, in both languages); they rank below every citation match.
    """
    query = parse_clause_query(term)
    scores = _citation_scores(query, map(_LawNames.of, Law.objects.all()))
    by_score: dict[int, list[int]] = defaultdict(list)
    for pk, score in scores.items():
        by_score[score].append(pk)
    rank = Case(
        *(When(pk__in=pks, then=Value(score)) for score, pks in sorted(by_score.items())),
        default=Value(TEXT),
        output_field=IntegerField(),
    )
    kind_order = Case(
        *(When(law__kind=kind, then=Value(n)) for n, kind in enumerate(_KIND_ORDER)),
        default=Value(len(_KIND_ORDER)),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(Q(pk__in=list(scores)) | Q(pk__in=text_matches.values("pk")))
        .select_related("law")
        .annotate(picker_rank=rank, picker_uses=Count("testimony_links"), picker_kind=kind_order)
        .order_by("-picker_rank", "-picker_uses", "picker_kind", "law__order", "order", "pk")
    )


def option_label(clause: Clause) -> str:
    """An option as the picker shows it: the citation, the heading, and the law in full."""
    law = clause.law
    title = str(law.localized("title_en"))
    # Most titles carry their year already ("... B.E. 2551 (2008)"); the rest get it added.
    named = title if str(law.year) in title else f"{title}, {law.year}"
    return (
        f"{law.localized('short_name')}, {clause.number}: {clause.localized('heading')} ({named})"
    )
