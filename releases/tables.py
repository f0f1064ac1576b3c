"""The tables of a release: their columns, keys and licences, and the rows read for each.

Every row comes through a ``public()`` queryset: a draft, a record in review
or a withdrawn record never reaches a release. Rows are read a chunk at a
time, in the order of their key, so two releases of an unchanged archive are
byte for byte the same and a release of any size costs the memory of a chunk.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import translation

from archive import licences
from laws.identifiers import citation, clause_code
from laws.models import Clause, Law
from testimonies.models import (
    Authority,
    ClauseRelation,
    Outcome,
    RaidIncident,
    RightsViolation,
    TestimonyClause,
    TestimonyVersion,
    ViolationType,
)
from testimonies.selectors import public_incidents, public_testimonies
from testimonies.vocabulary import (
    AgeGroup,
    DatePrecision,
    Language,
    Nationality,
    Perpetrator,
    Province,
    WorkSetting,
)

CHUNK_SIZE = 2000

type ColumnType = Literal["string", "integer", "boolean", "date", "datetime"]
type Value = str | int | bool | None
type Row = tuple[Value, ...]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    table_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[str], Iterator[Row]]  # called with the site's address
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Columns holding a testimony's or raid's public id: a row whose record is
    # withdrawn leaves the release. References that are not ownership (a
    # translation's original) are blanked instead.
    owners: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    has_texts: bool = False  # holds the testimonies' own words (the texts licence)
    # The record whose changes the changelog follows: its id column.
    member_column: str | None = None
    # Cells read as missing (null) in the CSV. A table whose empty strings are
    # values (a code that is "") has none.
    missing_values: tuple[str, ...] = ("",)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def licences(self) -> list[licences.Licence]:
        return [licences.TEXTS, licences.DATA] if self.has_texts else [licences.DATA]


def _codes(choices: type[models.Choices]) -> tuple[str, ...]:
    return tuple(str(value) for value in choices.values)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _utc(value: datetime | None) -> str | None:
    # UTC with a Z: the Table Schema's default datetime format.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _chunked(rows: QuerySet) -> Iterator[tuple]:
    return rows.iterator(chunk_size=CHUNK_SIZE)


def _permalink(site: str, name: str, **kwargs: str) -> str:
    return site + reverse(name, kwargs=kwargs)


# --- testimonies ---------------------------------------------------------------------

_TESTIMONY_FIELDS = (
    "public_id",
    "title",
    "narrator_pseudonym",
    "nationality",
    "age_group",
    "work_setting",
    "province",
    "year_of_events",
    "date_recorded",
    "language",
    "summary",
    "body",
    "content_note",
    "latest_correction_note",
    "source",
    "is_sample",
    "public_translation_of",
    "first_published_at",
    "published_at",
)


def _testimony_rows(site: str) -> Iterator[Row]:
    # A translation's original is named only while it is public itself.
    original = public_testimonies().filter(pk=OuterRef("translation_of_id")).values("public_id")
    # The note of a correction belongs to the version it made (the record's is emptied).
    note = (
        TestimonyVersion.objects.filter(testimony=OuterRef("pk"))
        .order_by("-number")
        .values("correction_note")[:1]
    )
    query = (
        public_testimonies()
        .annotate(public_translation_of=Subquery(original), latest_correction_note=Subquery(note))
        .order_by("public_id")
        .values_list(*_TESTIMONY_FIELDS)
    )
    for row in _chunked(query):
        values = dict(zip(_TESTIMONY_FIELDS, row, strict=True))
        public_id = values["public_id"]
        yield (
            public_id,
            _permalink(site, "testimonies:testimony_detail", public_id=public_id),
            values["title"],
            values["narrator_pseudonym"],
            values["nationality"],
            values["age_group"],
            values["work_setting"],
            values["province"],
            values["year_of_events"],
            _day(values["date_recorded"]),
            values["language"],
            values["summary"],
            values["body"],
            values["content_note"],
            values["latest_correction_note"] or "",
            values["source"],
            values["is_sample"],
            values["public_translation_of"],
            _utc(values["first_published_at"]),
            _utc(values["published_at"]),
        )


TESTIMONIES = Table(
    name="testimonies",
    title="Testimonies",
    description="Every published testimony, with its current text and coarse facts.",
    columns=(
        Column("public_id", "string", "Permanent id, e.g. T-0001.", required=True),
        Column("permalink", "string", "The testimony's page in the archive.", required=True),
        Column("title", "string", "A short descriptive title written by the archive."),
        Column("narrator_pseudonym", "string", "The name the narrator is cited under."),
        Column(
            "nationality",
            "string",
            "Narrator's nationality (vocabulary nationality).",
            enum=_codes(Nationality),
        ),
        Column(
            "age_group", "string", "Age group at the time of the events.", enum=_codes(AgeGroup)
        ),
        Column("work_setting", "string", "Where the narrator worked.", enum=_codes(WorkSetting)),
        Column("province", "string", "Province of the events.", enum=_codes(Province)),
        Column("year_of_events", "integer", "Year of the events (CE)."),
        Column("date_recorded", "date", "When the account was recorded, if known."),
        Column("language", "string", "Language of the text.", enum=_codes(Language)),
        Column("summary", "string", "The archive's summary of the account."),
        Column("body", "string", "The published text; paragraphs separated by a blank line."),
        Column("content_note", "string", "What the text describes, for readers to choose."),
        Column("correction_note", "string", "What the latest correction changed, if any."),
        Column("source", "string", "Where the account comes from."),
        Column("is_sample", "boolean", "An illustrative sample, not a real person's account."),
        Column("translation_of", "string", "The testimony this one translates, if public."),
        Column("first_published_at", "datetime", "First publication (UTC)."),
        Column("published_at", "datetime", "Latest publication of this text (UTC)."),
    ),
    primary_key=("public_id",),
    foreign_keys=(ForeignKey(("translation_of",), "testimonies", ("public_id",)),),
    rows=_testimony_rows,
    owners=("public_id",),
    references=("translation_of",),
    has_texts=True,
    member_column="public_id",
)


# --- raid incidents ------------------------------------------------------------------

_INCIDENT_FIELDS = (
    "public_id",
    "title",
    "date",
    "date_precision",
    "province",
    "venue_type",
    "people_taken",
    "description",
    "is_sample",
    "first_published_at",
    "published_at",
)


def _incident_rows(site: str) -> Iterator[Row]:
    query = public_incidents().order_by("public_id").values_list(*_INCIDENT_FIELDS)
    for row in _chunked(query):
        v = dict(zip(_INCIDENT_FIELDS, row, strict=True))
        yield (
            v["public_id"],
            _permalink(site, "testimonies:incident_detail", public_id=v["public_id"]),
            v["title"],
            _day(v["date"]),
            v["date_precision"],
            v["province"],
            v["venue_type"],
            v["people_taken"],
            v["description"],
            v["is_sample"],
            _utc(v["first_published_at"]),
            _utc(v["published_at"]),
        )


INCIDENTS = Table(
    name="raid_incidents",
    title="Raid incidents",
    description="Every published raid incident.",
    columns=(
        Column("public_id", "string", "Permanent id, e.g. R-0001.", required=True),
        Column("permalink", "string", "The raid's page in the archive.", required=True),
        Column("title", "string", "A short descriptive title."),
        Column("date", "date", "The raid's date; the first day of the period if imprecise."),
        Column(
            "date_precision",
            "string",
            "How precisely the date is known.",
            enum=_codes(DatePrecision),
        ),
        Column("province", "string", "Province.", enum=_codes(Province)),
        Column("venue_type", "string", "Kind of venue raided.", enum=_codes(WorkSetting)),
        Column("people_taken", "integer", "People taken, if known."),
        Column("description", "string", "What happened."),
        Column("is_sample", "boolean", "An illustrative sample, not a real raid."),
        Column("first_published_at", "datetime", "First publication (UTC)."),
        Column("published_at", "datetime", "Latest publication (UTC)."),
    ),
    primary_key=("public_id",),
    rows=_incident_rows,
    owners=("public_id",),
    member_column="public_id",
)


def _incident_testimony_rows(site: str) -> Iterator[Row]:
    through = RaidIncident.testimonies.through
    query = (
        through.objects.filter(
            raidincident__in=public_incidents(), testimony__in=public_testimonies()
        )
        .order_by("raidincident__public_id", "testimony__public_id")
        .values_list("raidincident__public_id", "testimony__public_id")
    )
    yield from _chunked(query)


def _incident_clause_rows(site: str) -> Iterator[Row]:
    through = RaidIncident.clauses_invoked.through
    query = (
        through.objects.filter(raidincident__in=public_incidents())
        .order_by("raidincident__public_id", "clause__law__slug", "clause__slug")
        .values_list("raidincident__public_id", "clause__law__slug", "clause__slug")
    )
    for incident_id, law_slug, clause_slug in _chunked(query):
        yield (incident_id, clause_code(law_slug, clause_slug))


def _incident_vocabulary_rows(field_name: str, target: str) -> Callable[[str], Iterator[Row]]:
    through = getattr(RaidIncident, field_name).through

    def rows(site: str) -> Iterator[Row]:
        query = (
            through.objects.filter(raidincident__in=public_incidents())
            .order_by("raidincident__public_id", f"{target}__slug")
            .values_list("raidincident__public_id", f"{target}__slug")
        )
        yield from _chunked(query)

    return rows


INCIDENT_TESTIMONIES = Table(
    name="incident_testimonies",
    title="Raids recounted in testimonies",
    description="Which published testimony recounts which published raid.",
    columns=(
        Column("incident_id", "string", "The raid.", required=True),
        Column("testimony_id", "string", "A testimony recounting it.", required=True),
    ),
    primary_key=("incident_id", "testimony_id"),
    foreign_keys=(
        ForeignKey(("incident_id",), "raid_incidents", ("public_id",)),
        ForeignKey(("testimony_id",), "testimonies", ("public_id",)),
    ),
    rows=_incident_testimony_rows,
    owners=("incident_id", "testimony_id"),
)

INCIDENT_CLAUSES = Table(
    name="incident_clauses",
    title="Clauses invoked in raids",
    description="The clauses the authorities relied on in each published raid.",
    columns=(
        Column("incident_id", "string", "The raid.", required=True),
        Column("clause", "string", "The clause's code (law:clause).", required=True),
    ),
    primary_key=("incident_id", "clause"),
    foreign_keys=(
        ForeignKey(("incident_id",), "raid_incidents", ("public_id",)),
        ForeignKey(("clause",), "clauses", ("code",)),
    ),
    rows=_incident_clause_rows,
    owners=("incident_id",),
)

INCIDENT_AUTHORITIES = Table(
    name="incident_authorities",
    title="Authorities present at raids",
    description="Who was present at each published raid.",
    columns=(
        Column("incident_id", "string", "The raid.", required=True),
        Column("authority", "string", "An authority present (table authorities).", required=True),
    ),
    primary_key=("incident_id", "authority"),
    foreign_keys=(
        ForeignKey(("incident_id",), "raid_incidents", ("public_id",)),
        ForeignKey(("authority",), "authorities", ("code",)),
    ),
    rows=_incident_vocabulary_rows("authorities", "authority"),
    owners=("incident_id",),
)

INCIDENT_OUTCOMES = Table(
    name="incident_outcomes",
    title="Outcomes of raids",
    description="What happened to those taken in each published raid.",
    columns=(
        Column("incident_id", "string", "The raid.", required=True),
        Column("outcome", "string", "An outcome (table outcomes).", required=True),
    ),
    primary_key=("incident_id", "outcome"),
    foreign_keys=(
        ForeignKey(("incident_id",), "raid_incidents", ("public_id",)),
        ForeignKey(("outcome",), "outcomes", ("code",)),
    ),
    rows=_incident_vocabulary_rows("outcomes", "outcome"),
    owners=("incident_id",),
)


# --- links to the law and violations ---------------------------------------------------


def _clause_link_rows(site: str) -> Iterator[Row]:
    query = (
        TestimonyClause.objects.filter(testimony__in=public_testimonies())
        .order_by("testimony__public_id", "clause__law__slug", "clause__slug", "relation")
        .values_list(
            "testimony__public_id",
            "clause__law__slug",
            "clause__slug",
            "relation",
            "paragraph",
            "note",
        )
    )
    for testimony_id, law_slug, clause_slug, relation, paragraph, note in _chunked(query):
        yield (testimony_id, clause_code(law_slug, clause_slug), relation, paragraph, note)


CLAUSE_LINKS = Table(
    name="clause_links",
    title="Testimonies linked to clauses",
    description="How each published testimony bears on each legal clause.",
    columns=(
        Column("testimony_id", "string", "The testimony.", required=True),
        Column("clause", "string", "The clause's code (law:clause).", required=True),
        Column(
            "relation",
            "string",
            "How the clause bears on the account.",
            required=True,
            enum=_codes(ClauseRelation),
        ),
        Column("paragraph", "integer", "The paragraph (#p<n>) concerned, if one."),
        Column("note", "string", "The archive's note on the link."),
    ),
    primary_key=("testimony_id", "clause", "relation"),
    foreign_keys=(
        ForeignKey(("testimony_id",), "testimonies", ("public_id",)),
        ForeignKey(("clause",), "clauses", ("code",)),
    ),
    rows=_clause_link_rows,
    owners=("testimony_id",),
    has_texts=True,
)


def _violation_rows(site: str) -> Iterator[Row]:
    query = (
        RightsViolation.objects.public()
        .order_by("pk")
        .values_list(
            "pk",
            "violation_type__slug",
            "testimony__public_id",
            "incident__public_id",
            "perpetrator",
            "note",
        )
    )
    yield from _chunked(query)


VIOLATIONS = Table(
    name="violations",
    title="Rights violations",
    description="Each violation a published testimony or raid evidences.",
    columns=(
        Column("id", "integer", "The archive's number for this row.", required=True),
        Column(
            "violation_type", "string", "Kind of violation (table violation_types).", required=True
        ),
        Column("testimony_id", "string", "The testimony evidencing it, if one."),
        Column("incident_id", "string", "The raid evidencing it, if one."),
        Column("perpetrator", "string", "Who committed it.", enum=_codes(Perpetrator)),
        Column("note", "string", "The archive's note."),
    ),
    primary_key=("id",),
    foreign_keys=(
        ForeignKey(("violation_type",), "violation_types", ("code",)),
        ForeignKey(("testimony_id",), "testimonies", ("public_id",)),
        ForeignKey(("incident_id",), "raid_incidents", ("public_id",)),
    ),
    rows=_violation_rows,
    owners=("testimony_id", "incident_id"),
    has_texts=True,
)


# --- laws, clauses, vocabularies ------------------------------------------------------

_LAW_FIELDS = (
    "slug",
    "short_name",
    "title_en",
    "title_th",
    "jurisdiction",
    "kind",
    "year",
    "year_be",
    "source_url",
    "summary",
    "ratification_status",
    "ratification_date",
    "binding_in_2012",
)


def _law_rows(site: str) -> Iterator[Row]:
    for row in _chunked(Law.objects.public().order_by("slug").values_list(*_LAW_FIELDS)):
        v = dict(zip(_LAW_FIELDS, row, strict=True))
        v["ratification_date"] = _day(v["ratification_date"])
        yield (
            v["slug"],
            _permalink(site, "laws:law_detail", law_slug=v["slug"]),
            *(v[name] for name in _LAW_FIELDS[1:]),
        )


LAWS = Table(
    name="laws",
    title="Laws",
    description="The Thai acts, the Constitution and the treaties the archive links to.",
    columns=(
        Column("slug", "string", "Permanent code of the law.", required=True),
        Column("permalink", "string", "The law's page in the archive.", required=True),
        Column("short_name", "string", "How it is cited in short."),
        Column("title_en", "string", "Title in English."),
        Column("title_th", "string", "Title in Thai, for Thai laws."),
        Column("jurisdiction", "string", "Thai or international.", enum=_codes(Law.Jurisdiction)),
        Column("kind", "string", "Kind of instrument.", enum=_codes(Law.Kind)),
        Column("year", "integer", "Year of adoption (CE)."),
        Column("year_be", "integer", "Buddhist Era year, for Thai laws."),
        Column("source_url", "string", "Where its official text is published."),
        Column("summary", "string", "The archive's summary."),
        Column(
            "ratification_status",
            "string",
            "Thailand's ratification, for treaties.",
            enum=_codes(Law.Ratification),
        ),
        Column("ratification_date", "date", "Date of ratification or accession."),
        Column("binding_in_2012", "boolean", "Whether it bound Thailand in 2012."),
    ),
    primary_key=("slug",),
    rows=_law_rows,
)


def _clause_rows(site: str) -> Iterator[Row]:
    query = (
        Clause.objects.public()
        .order_by("law__slug", "slug")
        .values_list(
            "law__slug",
            "slug",
            "law__short_name",
            "number",
            "parent__slug",
            "heading",
            "summary",
            "official_text",
            "official_text_source",
        )
    )
    for law, slug, short_name, number, parent, heading, summary, text, text_source in _chunked(
        query
    ):
        yield (
            clause_code(law, slug),
            law,
            slug,
            _permalink(site, "laws:clause_detail", law_slug=law, clause_slug=slug),
            number,
            citation(short_name, number),
            clause_code(law, parent) if parent else None,
            heading,
            summary,
            text,
            text_source,
        )


CLAUSES = Table(
    name="clauses",
    title="Clauses",
    description="Sections and articles of the laws.",
    columns=(
        Column("code", "string", "Permanent code, law:clause.", required=True),
        Column("law", "string", "The law (table laws).", required=True),
        Column("slug", "string", "The clause's code within its law.", required=True),
        Column("permalink", "string", "The clause's page in the archive.", required=True),
        Column("number", "string", "Its number as the law writes it."),
        Column("citation", "string", "How it is cited."),
        Column("parent", "string", "The clause it belongs to, if any."),
        Column("heading", "string", "Its heading."),
        Column("summary", "string", "The archive's summary."),
        Column("official_text", "string", "The official text, where public domain."),
        Column("official_text_source", "string", "Where the official text was taken from."),
    ),
    primary_key=("code",),
    foreign_keys=(
        ForeignKey(("law",), "laws", ("slug",)),
        ForeignKey(("parent",), "clauses", ("code",)),
    ),
    rows=_clause_rows,
)


def _violation_type_rows(site: str) -> Iterator[Row]:
    yield from _chunked(
        ViolationType.objects.order_by("slug").values_list(
            "slug", "label", "scope_note", "is_control", "order"
        )
    )


VIOLATION_TYPES = Table(
    name="violation_types",
    title="Violation types",
    description="The vocabulary of rights violations.",
    columns=(
        Column("code", "string", "Permanent code.", required=True),
        Column("label", "string", "Label."),
        Column("scope_note", "string", "What it covers."),
        Column("is_control", "boolean", "Marks real exploitation rather than harm by policy."),
        Column("order", "integer", "Display order."),
    ),
    primary_key=("code",),
    rows=_violation_type_rows,
)


def _vocabulary_table(name: str, title: str, model: type[Authority] | type[Outcome]) -> Table:
    def rows(site: str) -> Iterator[Row]:
        yield from _chunked(model.objects.order_by("slug").values_list("slug", "name", "order"))

    return Table(
        name=name,
        title=title,
        description=f"The vocabulary of {title.lower()}.",
        columns=(
            Column("code", "string", "Permanent code.", required=True),
            Column("label", "string", "Label."),
            Column("order", "integer", "Display order."),
        ),
        primary_key=("code",),
        rows=rows,
    )


AUTHORITIES = _vocabulary_table("authorities", "Authorities", Authority)
OUTCOMES = _vocabulary_table("outcomes", "Outcomes", Outcome)

# The coded columns of the other tables, with their labels in both languages.
_CHOICES: dict[str, type[models.Choices]] = {
    "nationality": Nationality,
    "age_group": AgeGroup,
    "work_setting": WorkSetting,
    "province": Province,
    "language": Language,
    "perpetrator": Perpetrator,
    "date_precision": DatePrecision,
    "relation": ClauseRelation,
    "jurisdiction": Law.Jurisdiction,
    "kind": Law.Kind,
    "ratification_status": Law.Ratification,
}


def _coded_value_rows(site: str) -> Iterator[Row]:
    for vocabulary, choices in sorted(_CHOICES.items()):
        for code, label in sorted(choices.choices):
            with translation.override("th"):
                thai = str(label)
            with translation.override("en"):
                yield (vocabulary, str(code), str(label), thai)


CODED_VALUES = Table(
    name="vocabularies",
    title="Coded values",
    description="Every code a coded column uses, with its label in English and Thai.",
    columns=(
        Column("vocabulary", "string", "The column the code is used in.", required=True),
        Column("code", "string", "The code.", required=True),
        Column("label_en", "string", "Label in English."),
        Column("label_th", "string", "Label in Thai."),
    ),
    primary_key=("vocabulary", "code"),
    rows=_coded_value_rows,
    # A law that is not a treaty has the ratification status "" (not applicable).
    missing_values=(),
)

# In an order where every table comes after those its keys point to.
TABLES: tuple[Table, ...] = (
    LAWS,
    CLAUSES,
    VIOLATION_TYPES,
    AUTHORITIES,
    OUTCOMES,
    CODED_VALUES,
    TESTIMONIES,
    INCIDENTS,
    INCIDENT_TESTIMONIES,
    INCIDENT_CLAUSES,
    INCIDENT_AUTHORITIES,
    INCIDENT_OUTCOMES,
    CLAUSE_LINKS,
    VIOLATIONS,
)
