"""CSV of a search: the same rows, in the same order, as the search page.

Rows are written as they are read, a chunk of testimonies at a time, so an
export of the whole archive costs the memory of one chunk, not of the file.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import batched
from typing import TYPE_CHECKING, Literal, cast

from django.urls import reverse
from django.utils import timezone

from laws import versions as law_versions
from laws.models import Clause
from laws.versions import Period, Version
from testimonies import law_in_time
from testimonies.models import RightsViolation, TestimonyClause, ViolationType
from testimonies.selectors import public_testimonies
from testimonies.vocabulary import AgeGroup, Language, Nationality, Province, WorkSetting

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHUNK_SIZE = 500
PLACEHOLDER = "T-PLACEHOLDER"
# Excel reads a CSV as the local code page unless the file starts with a BOM.
BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula
# (=HYPERLINK(...) can leak data or mislead a reader); a leading quote
# makes it plain text. Tab and carriage return can hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "permalink",
    "public_id",
    "title",
    "first_published",
    "last_published",
    "date_recorded",
    "year_of_events",
    "nationality",
    "age_group",
    "work_setting",
    "province",
    "language",
    "violation_types",
    "violation_types_th",
    "clauses",
    # For each clause, in the same order: the version the account is read against.
    "clause_versions",
    "summary",
]
# Several values in one cell are joined with this, as the search page lists them.
SEPARATOR = "; "

# The single-valued vocabulary columns, each with its labels.
type SingleField = Literal["nationality", "age_group", "work_setting", "province", "language"]
_LABELS: dict[SingleField, dict[str, "StrOrPromise"]] = {
    "nationality": dict(Nationality.choices),
    "age_group": dict(AgeGroup.choices),
    "work_setting": dict(WorkSetting.choices),
    "province": dict(Province.choices),
    "language": dict(Language.choices),
}


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write() hands back the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class _Vocabulary:
    """Labels read once per export: a lazy label costs a gettext call each time it
    becomes text (five per row), and joining the vocabulary tables into every
    chunk's query made the database sort each chunk's links."""

    single: dict[SingleField, dict[str, str]]
    violations: dict[int, tuple[tuple, str]]  # type pk -> (sort key, label)
    violations_th: dict[int, tuple[tuple, str]]  # type pk -> (sort key, Thai label or "")
    clauses: dict[int, tuple[tuple, str]]  # clause pk -> (sort key, citation)
    versions: dict[int, list[Version]]  # clause pk -> its versions, oldest first


def _vocabulary() -> _Vocabulary:
    types = ViolationType.objects.values_list("pk", "order", "label", "label_th")
    return _Vocabulary(
        single={
            name: {code: str(label) for code, label in choices.items()}
            for name, choices in _LABELS.items()
        },
        violations={pk: ((order, label), label) for pk, order, label, _th in types},
        violations_th={pk: ((order, label), label_th) for pk, order, label, label_th in types},
        clauses={
            pk: ((law_order, order, pk), f"{law}, {number}")
            for pk, law_order, order, law, number in Clause.objects.values_list(
                "pk", "law__order", "order", "law__short_name", "number"
            )
        },
        # Every clause's versions: a few hundred rows, read once per export.
        versions=law_versions.versions_by_clause(Clause.objects.select_related("law")),
    )


def _clause_versions(
    clause_ids: Iterable[int], period: Period, vocabulary: _Vocabulary
) -> list[str]:
    """'ATIPA 2008, s. 6: from 2008-06-05 (instrument)' for each clause, in the clauses' order."""
    cells = []
    for pk in sorted(set(clause_ids), key=lambda pk: vocabulary.clauses[pk][0]):
        applies = law_versions.read_in_time(vocabulary.versions[pk], period).applies
        described = (
            f"from {applies.start_label} ({applies.instrument})" if applies else "not in force"
        )
        cells.append(f"{vocabulary.clauses[pk][1]}: {described}")
    return cells


def _many_valued(
    ids: list[int], vocabulary: _Vocabulary
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """Violation type labels (English, Thai) and clause citations of each testimony in ``ids``.

    A testimony can name one violation type, or one clause, several times
    (two occurrences, two relations); each is listed once, in the vocabulary's order.
    """
    violations = list(
        RightsViolation.objects.filter(testimony_id__in=ids)
        .with_public_incident_or_none()
        .values_list("testimony_id", "violation_type_id")
    )
    return (
        _labels_by_testimony(violations, vocabulary.violations),
        _labels_by_testimony(violations, vocabulary.violations_th),
        _labels_by_testimony(
            TestimonyClause.objects.filter(testimony_id__in=ids).values_list(
                "testimony_id", "clause_id"
            ),
            vocabulary.clauses,
        ),
    )


def _labels_by_testimony(
    pairs: Iterable[tuple[int, int]], labels: dict[int, tuple[tuple, str]]
) -> dict[int, list[str]]:
    keys: dict[int, set[int]] = defaultdict(set)
    for testimony_id, pk in pairs:
        keys[testimony_id].add(pk)
    return {
        testimony_id: [labels[pk][1] for pk in sorted(pks, key=lambda pk: labels[pk][0])]
        for testimony_id, pks in keys.items()
    }


def _day(value: datetime | None) -> str:
    """The day in the archive's time zone, as the record pages show it."""
    return timezone.localdate(value).isoformat() if value else ""


def rows(ids: Iterable[int], *, absolute: Callable[[str], str]) -> Iterator[list[object]]:
    """One row per published testimony in ``ids``, in that order.

    ``absolute`` turns a path into a full URL. A testimony withdrawn since the
    ids were read is simply left out: it is read again here through the public door.
    """
    # One reverse() and one absolute URL for the whole export rather than one per row.
    permalink = absolute(reverse("testimonies:testimony_detail", kwargs={"public_id": PLACEHOLDER}))
    vocabulary = _vocabulary()
    for batch in batched(ids, CHUNK_SIZE):
        chunk = list(batch)
        by_id = {
            row["id"]: row
            for row in public_testimonies()
            .filter(pk__in=chunk)
            .values(
                "id",
                "public_id",
                "title",
                "first_published_at",
                "published_at",
                "date_recorded",
                "year_of_events",
                "nationality",
                "age_group",
                "work_setting",
                "province",
                "language",
                "summary",
            )
        }
        violations, violations_th, clauses = _many_valued(chunk, vocabulary)
        links: dict[int, list[int]] = defaultdict(list)
        for testimony_id, clause_id in TestimonyClause.objects.filter(
            testimony_id__in=chunk
        ).values_list("testimony_id", "clause_id"):
            links[testimony_id].append(clause_id)
        raids = law_in_time.public_raids_by_testimony(chunk)
        for testimony_id in chunk:
            row = by_id.get(testimony_id)
            if row is None:
                continue
            public_id = cast(str, row["public_id"])  # a public testimony always has one
            yield [
                permalink.replace(PLACEHOLDER, public_id),
                row["public_id"],
                row["title"],
                _day(row["first_published_at"]),
                _day(row["published_at"]),
                row["date_recorded"].isoformat() if row["date_recorded"] else "",
                row["year_of_events"],
                *(labels[row[name]] for name, labels in vocabulary.single.items()),
                SEPARATOR.join(violations.get(testimony_id, ())),
                # A type with no Thai label yet leaves no empty item in the list.
                SEPARATOR.join(label for label in violations_th.get(testimony_id, ()) if label),
                SEPARATOR.join(clauses.get(testimony_id, ())),
                SEPARATOR.join(
                    _clause_versions(
                        links.get(testimony_id, ()),
                        law_in_time.events_period(
                            year=row["year_of_events"], raids=raids.get(testimony_id, ())
                        ),
                        vocabulary,
                    )
                ),
                row["summary"],
            ]


def csv_text(
    ids: Iterable[int], *, absolute: Callable[[str], str], bom: bool = False
) -> Iterator[str]:
    """The CSV text in pieces: a header, then neutralised rows, a chunk's worth at a time.

    One piece per chunk rather than per row: a server writes each piece to the
    socket separately.
    """
    writer = csv.writer(_Echo())
    yield (BOM if bom else "") + writer.writerow(COLUMNS)
    lines = []
    for row in rows(ids, absolute=absolute):
        lines.append(writer.writerow([neutralise(cell) for cell in row]))
        if len(lines) >= CHUNK_SIZE:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
