"""Public reads: the one door to published data.

Public views, feeds and exports read through these functions, which all
start from ``public()``. Nothing here returns a draft, a record in review or
a withdrawn record: asked for a withdrawn testimony, a read raises ``Gone``,
which carries only what a 410 tombstone may show (the site's middleware and
the API's exception handler answer it).
"""

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from archive.errors import Gone
from archive.prepared import FetchedRows, Prepared
from laws.models import Clause
from laws.selectors import count_annotation
from testimonies import redaction, search
from testimonies.models import (
    SOURCE_FIELDS,
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
    ViolationType,
)

# Version numbers are PositiveIntegerField values; anything larger cannot
# exist, and refusing it early keeps a 20-digit number from overflowing a
# database integer (SQLite raises OverflowError on such a parameter).
MAX_VERSION_NUMBER = 2**31 - 1


def public_testimonies() -> QuerySet[Testimony]:
    return Testimony.objects.public()


def public_incidents() -> QuerySet[RaidIncident]:
    return RaidIncident.objects.public()


# A public id as a reader types it in the search box: T-0001, t0001, "R - 3".
_TYPED_PUBLIC_ID = re.compile(r"\s*([TR])\s*-?\s*(\d{1,9})\s*", re.IGNORECASE)


def public_record_url(text: str) -> str | None:
    """The address of the published testimony or raid whose public id ``text`` is, if any.

    Anything else (a draft's, a withdrawn record's or an unused number
    included) gives None, so the search box treats it as words and says
    nothing of records that are not public.
    """
    typed = _TYPED_PUBLIC_ID.fullmatch(text)
    if typed is None:
        return None
    prefix, number = typed.group(1).upper(), int(typed.group(2))
    public_id = f"{prefix}-{number:04d}"
    records = public_testimonies() if prefix == "T" else public_incidents()
    record = records.filter(public_id=public_id).only("public_id").first()
    return record.get_absolute_url() if record is not None else None


def latest_testimonies(*, limit: int = 5) -> QuerySet[Testimony]:
    return public_testimonies().order_by("-first_published_at", "-id")[:limit]


# What a record page never shows, left in the database: the editors' marked-up
# sources (private; the public fields are rendered from them) and the snapshot of
# a version's links. A body and its source are the bulk of a row.
_PRIVATE_TESTIMONY_FIELDS = tuple(SOURCE_FIELDS.values())
_PRIVATE_VERSION_FIELDS = ("body_source", "links")
_PRIVATE_INCIDENT_FIELDS = ("title_source", "description_source")


def _has_translation() -> Exists:
    """Whether a published translation names this record as its original."""
    return Exists(public_testimonies().filter(translation_of=OuterRef("pk")))


def _testimony_row(public_id: str) -> QuerySet[Testimony]:
    return (
        Testimony.objects.filter(public_id=public_id)
        .filter(Q(status=Status.PUBLISHED) | Q(status=Status.WITHDRAWN))
        .defer(*_PRIVATE_TESTIMONY_FIELDS)
        .annotate(has_translation=_has_translation())
        .order_by()[:1]
    )


def _clause_links(testimony_id: int) -> QuerySet[TestimonyClause]:
    return (
        TestimonyClause.objects.filter(testimony_id=testimony_id)
        .select_related("clause__law")
        .defer("note_source", "note_th_source")
    )


def _incidents(testimony_id: int) -> QuerySet[RaidIncident]:
    return public_incidents().filter(testimonies=testimony_id).defer(*_PRIVATE_INCIDENT_FIELDS)


def _violations(testimony_id: int) -> QuerySet[RightsViolation]:
    # The testimony is public (it is only read for one); one shared with a draft
    # raid is hidden until the raid is public.
    return (
        RightsViolation.objects.with_public_incident_or_none()
        .filter(testimony_id=testimony_id)
        .select_related("violation_type")
        .defer("note_source")
    )


def _versions(testimony_id: int) -> QuerySet[TestimonyVersion]:
    # By number alone: the model's ordering starts with its testimony's, a join.
    return (
        TestimonyVersion.objects.filter(testimony_id=testimony_id)
        .defer(*_PRIVATE_VERSION_FIELDS)
        .order_by("number")
    )


# A testimony page reads the same statements for every record: compiled once.
_PAGE_ROW = Prepared(Testimony, _testimony_row, public_id=str)
_PAGE_RELATIONS: dict[str, Prepared[Any]] = {
    # The related managers' names, where their prefetched rows are looked for.
    "clause_links": Prepared(TestimonyClause, _clause_links, testimony_id=int),
    "incidents": Prepared(RaidIncident, _incidents, testimony_id=int),
    "violations": Prepared(RightsViolation, _violations, testimony_id=int),
    "versions": Prepared(TestimonyVersion, _versions, testimony_id=int),
}


def testimony_detail(*, public_id: str) -> Testimony:
    """The published testimony with its links; ``Gone`` if it was withdrawn.

    Drafts and records in review raise the same 404 as an id that never
    existed, so a URL reveals nothing about unpublished work. One statement
    reads the row whether it is published or withdrawn, so a permalink costs
    no separate status check; a withdrawn row carries no text to read. Its
    links come as prefetched relations (``testimony.violations.all()``), read
    by statements prepared once per process.
    """
    found = _PAGE_ROW.rows(public_id=public_id)
    if not found:
        raise Http404("No testimony with that id.")
    row = found[0]
    if row.status == Status.WITHDRAWN:
        raise Gone(public_id=public_id, withdrawn_at=row.withdrawn_at)
    fetched: dict[str, FetchedRows[Any]] = {}
    for name, statement in _PAGE_RELATIONS.items():
        related = statement.rows(testimony_id=row.pk)
        if name != "incidents":
            # As a prefetch does: each link knows its testimony without a query.
            for obj in related:
                obj.testimony = row
        fetched[name] = FetchedRows.of(statement.model, related)
    row._prefetched_objects_cache = fetched  # type: ignore[attr-defined]
    return row


def public_translation(*, testimony: Testimony) -> Testimony | None:
    """The same account in the other language, if that is published too.

    Either side of the link finds the other: the translation names its
    original in ``translation_of``; the original finds its translations. A
    record read by ``testimony_detail`` knows whether a translation names it,
    so a record on neither side of a link costs no query here.
    """
    if not testimony.translation_of_id and not getattr(testimony, "has_translation", True):
        return None
    if testimony.translation_of_id:
        original = public_testimonies().filter(pk=testimony.translation_of_id).first()
        if original is not None:
            return original
    return public_testimonies().filter(translation_of=testimony).order_by("id").first()


@dataclass(frozen=True)
class PublishedText:
    """The public text of one published version, or of the current record.

    ``number`` is None only for records published without a version snapshot
    (synthetic samples loaded raw); they have no /v<n>/ addresses.
    """

    number: int | None
    title: str
    narrator_pseudonym: str
    summary: str
    body: str
    published_at: datetime | None
    correction_note: str
    is_current: bool
    # Set when text was taken out of this version after it was published: at
    # the narrator's request, or because a name was marked later.
    withheld_at: datetime | None = None
    redacted_at: datetime | None = None
    paragraphs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraphs", tuple(redaction.paragraphs(self.body)))

    @classmethod
    def of_version(cls, version: TestimonyVersion, *, is_current: bool) -> "PublishedText":
        return cls(
            number=version.number,
            title=version.title,
            narrator_pseudonym=version.narrator_pseudonym,
            summary=version.summary,
            body=version.body,
            published_at=version.published_at,
            correction_note=version.correction_note,
            is_current=is_current,
            withheld_at=version.withheld_at,
            redacted_at=version.redacted_at,
        )


@dataclass(frozen=True)
class TestimonyPage:
    """What a testimony page shows: the record, the text being read, all versions."""

    testimony: Testimony
    text: PublishedText
    versions: tuple[TestimonyVersion, ...]

    @property
    def current_number(self) -> int | None:
        return self.versions[-1].number if self.versions else None


def testimony_page(*, public_id: str, version: int | None = None) -> TestimonyPage:
    """A published testimony as it reads now, or as version ``version`` read.

    A withdrawn testimony raises ``Gone`` (its tombstone) at every version address
    (its versions are erased, so which numbers existed is not known, nor
    revealed). A version that does not exist raises the same 404 as an
    unknown id.
    """
    if version is not None and not 1 <= version <= MAX_VERSION_NUMBER:
        raise Http404("No testimony with that id.")
    record = testimony_detail(public_id=public_id)
    versions = tuple(sorted(record.versions.all(), key=lambda v: v.number))
    latest = versions[-1] if versions else None
    if version is None:
        # The record's fields equal the latest snapshot (every edit of a
        # published record is a publication); the version carries its note.
        text = PublishedText(
            number=latest.number if latest else None,
            title=record.title,
            narrator_pseudonym=record.narrator_pseudonym,
            summary=record.summary,
            body=record.body,
            published_at=record.published_at,
            correction_note=latest.correction_note if latest else "",
            is_current=True,
        )
    else:
        match = next((v for v in versions if v.number == version), None)
        if match is None:
            raise Http404("No testimony with that id.")
        text = PublishedText.of_version(match, is_current=match is latest)
    return TestimonyPage(testimony=record, text=text, versions=versions)


def incidents_with_links() -> QuerySet[RaidIncident]:
    """Published incidents with what their pages show; linked records stay public too."""
    return public_incidents().prefetch_related(
        "authorities",
        "outcomes",
        "clauses_invoked__law",
        Prefetch("testimonies", queryset=public_testimonies()),
        Prefetch(
            "violations",
            # A violation shared with an unpublished testimony stays hidden.
            queryset=RightsViolation.objects.public().select_related("violation_type"),
        ),
    )


def incident_detail(*, public_id: str) -> RaidIncident:
    try:
        return incidents_with_links().get(public_id=public_id)
    except RaidIncident.DoesNotExist as exc:
        raise Http404("No incident with that id.") from exc


def linked_clause_count() -> int:
    """Clauses at least one published testimony is linked to."""
    return sum(1 for count in search.totals("clause").values() if count)


def violation_types_with_counts() -> QuerySet[ViolationType]:
    """The violation vocabulary, with how many published testimonies describe each."""
    totals = search.totals("violation")
    counts = {
        pk: totals.get(slug, 0) for pk, slug in ViolationType.objects.values_list("pk", "slug")
    }
    return (
        ViolationType.objects.order_by("order", "label", "id")
        .annotate(testimony_count=count_annotation(counts))
        .prefetch_related("clauses__law")
    )


def clause_testimony_links(*, clause: Clause) -> QuerySet[TestimonyClause]:
    """Links from published testimonies to this clause, with the relation and note."""
    return (
        TestimonyClause.objects.filter(
            Exists(public_testimonies().filter(pk=OuterRef("testimony_id"))), clause=clause
        )
        .select_related("testimony")
        .order_by("testimony__public_id", "relation")
    )


# A clause of the Constitution can concern tens of thousands of testimonies, and
# at that scale thousands of raids: its page and its API record list the first
# ones, and the search finds every testimony.
CLAUSE_LINKS_SHOWN = 50
CLAUSE_INCIDENTS_SHOWN = 50


@dataclass(frozen=True)
class FirstRows[T]:
    """The first rows of a list too long to show whole, and whether there are more.

    ``total`` counts every row where that is cheap, and is None where it is not.
    """

    rows: tuple[T, ...]
    more: bool
    total: int | None = None


def _first_rows[T: Model](rows: QuerySet[T], *, shown: int) -> FirstRows[T]:
    # One row past the limit says whether there are more, without counting them all.
    fetched = list(rows[: shown + 1])
    return FirstRows(rows=tuple(fetched[:shown]), more=len(fetched) > shown)


def clause_first_links(*, clause: Clause) -> FirstRows[TestimonyClause]:
    """The first ``CLAUSE_LINKS_SHOWN`` links from published testimonies to this clause.

    Not counted: the facet counts already say how many testimonies concern it.
    """
    return _first_rows(clause_testimony_links(clause=clause), shown=CLAUSE_LINKS_SHOWN)


def clause_incidents(*, clause: Clause) -> QuerySet[RaidIncident]:
    """Published incidents where this clause was invoked, the most recent first."""
    return public_incidents().filter(clauses_invoked=clause).distinct()


def clause_first_incidents(*, clause: Clause) -> FirstRows[RaidIncident]:
    """The most recent published incidents invoking this clause, and how many there are."""
    incidents = clause_incidents(clause=clause)
    first = _first_rows(incidents, shown=CLAUSE_INCIDENTS_SHOWN)
    # Counted only past the limit, over the clause's index: cheap even at thousands.
    return replace(first, total=incidents.count() if first.more else len(first.rows))


def harvestable_testimonies() -> QuerySet[Testimony]:
    """Published testimonies and the tombstones of withdrawn ones, for harvesters.

    OAI-PMH must report a withdrawal as a deleted record, so withdrawn rows
    come along; read only their public id and withdrawal time (their text is
    erased anyway). A record that never reached publication has no public id
    and is never here, nor is a draft or a record in review given one.
    """
    return public_testimonies() | Testimony.objects.filter(
        status=Status.WITHDRAWN, public_id__isnull=False
    )
