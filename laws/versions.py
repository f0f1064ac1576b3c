"""Which version of a clause was in force on a day, or across the period of an account.

A clause's versions come from ``ClauseVersion`` rows, ordered by the day each
came into force; each runs until the next one starts, or until the day it
was repealed without replacement (``valid_until``). A clause no editor has
given versions yet reads as one version made of its own text, from its law's
year, which is what the migration ``laws 0006`` stored for every clause that
existed then: so a clause added by hand or a test factory never lacks a text.

Laws are public reference material, so nothing here hides a row; who may
see which testimony is decided by the testimony selectors.
"""

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from archive.bilingual import Localized, pick
from archive.errors import BadQuery
from laws.models import Amendment, Clause, ClauseVersion, InForcePrecision, Law


@dataclass(frozen=True)
class Version:
    """One version of a clause as readers are shown it; ``number`` counts from 1."""

    clause_id: int
    number: int
    valid_from: date
    # The first day it no longer applied; None while it is in force.
    valid_until: date | None
    instrument: str
    instrument_th: str
    instrument_kind: str
    gazette_reference: str
    precision: str
    wording_known: bool
    summary_en: str
    summary_th: str
    official_text: str
    official_text_source: str
    pk: int | None = None

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day < self.valid_until)

    @property
    def last_day(self) -> date | None:
        return self.valid_until - timedelta(days=1) if self.valid_until else None

    @property
    def in_force_today(self) -> bool:
        return self.valid_until is None

    @property
    def summary(self) -> Localized:
        return pick(self.summary_en, self.summary_th)

    @property
    def instrument_name(self) -> Localized:
        return pick(self.instrument, self.instrument_th)

    @property
    def start_label(self) -> str:
        """The day it came into force, as precise as it is known."""
        if self.precision == InForcePrecision.YEAR:
            return f"{self.valid_from:%Y}"
        if self.precision == InForcePrecision.MONTH:
            return f"{self.valid_from:%Y-%m}"
        return self.valid_from.isoformat()

    @property
    def slug(self) -> str:
        """The version's anchor and diff key: the day it came into force."""
        return self.valid_from.isoformat()


def _from_row(row: ClauseVersion, number: int, until: date | None) -> Version:
    amendment = row.amendment
    return Version(
        clause_id=row.clause_id,
        number=number,
        valid_from=row.valid_from,
        valid_until=until,
        instrument=amendment.name,
        instrument_th=amendment.name_th,
        instrument_kind=amendment.kind,
        gazette_reference=amendment.gazette_reference,
        precision=(
            amendment.in_force_precision
            if amendment.in_force_from == row.valid_from
            else InForcePrecision.DAY
        ),
        wording_known=row.wording_known,
        summary_en=row.summary,
        summary_th=row.summary_th,
        official_text=row.official_text,
        official_text_source=row.official_text_source,
        pk=row.pk,
    )


def implied_version(clause: Clause) -> Version:
    """The one version a clause without stored versions has: its own text, as enacted."""
    law = clause.law
    return Version(
        clause_id=clause.pk,
        number=1,
        valid_from=date(law.year, 1, 1),
        valid_until=None,
        instrument=law.title_en,
        instrument_th=law.title_th,
        instrument_kind=Amendment.Kind.ENACTMENT,
        gazette_reference="",
        precision=InForcePrecision.YEAR,
        wording_known=True,
        summary_en=clause.summary,
        summary_th=clause.summary_th,
        official_text=clause.official_text,
        official_text_source=clause.official_text_source,
    )


def _chain(rows: Sequence[ClauseVersion]) -> list[Version]:
    """Rows of one clause, oldest first, with each one's end worked out."""
    versions = []
    for index, row in enumerate(rows):
        following = rows[index + 1].valid_from if index + 1 < len(rows) else None
        ends = [day for day in (row.valid_until, following) if day is not None]
        versions.append(_from_row(row, index + 1, min(ends) if ends else None))
    return versions


def versions_by_clause(clauses: Iterable[Clause]) -> dict[int, list[Version]]:
    """Every version of each clause, oldest first, in one query."""
    clauses = list(clauses)
    stored = (
        ClauseVersion.objects.filter(clause__in={clause.pk for clause in clauses})
        .select_related("amendment")
        .order_by("clause_id", "valid_from")
    )
    return versions_from_rows(clauses, stored)


def versions_from_rows(
    clauses: Iterable[Clause], stored: Iterable[ClauseVersion]
) -> dict[int, list[Version]]:
    """Each clause's versions, from stored rows ordered by clause then ``valid_from``
    (with their amendments); rows of other clauses are left out."""
    clauses = list(clauses)
    rows: dict[int, list[ClauseVersion]] = {clause.pk: [] for clause in clauses}
    for row in stored:
        if row.clause_id in rows:
            rows[row.clause_id].append(row)
    return {
        clause.pk: _chain(rows[clause.pk]) if rows[clause.pk] else [implied_version(clause)]
        for clause in clauses
    }


def clause_versions(clause: Clause) -> list[Version]:
    return versions_by_clause([clause])[clause.pk]


def version_on(versions: Sequence[Version], day: date) -> Version | None:
    """The version in force on ``day``; None before the first or after a repeal."""
    return next((version for version in versions if version.in_force_on(day)), None)


def current_version(versions: Sequence[Version]) -> Version:
    """The version in force today, or else the last there was (a repealed clause's)."""
    return version_on(versions, timezone.localdate()) or versions[-1]


def law_amendments(law: Law) -> list[Amendment]:
    """The instruments that made or changed the law's text, oldest first."""
    return list(law.amendments.order_by("in_force_from", "id"))


# --- Reading an account against the law -------------------------------------------------


@dataclass(frozen=True)
class Period:
    """When an account's events happened: first and last day, both included."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))


def dated_period(day: date, precision: str) -> Period:
    """The days a date of this precision may mean: one day, a month or a year."""
    if precision == InForcePrecision.YEAR:
        return Period.year(day.year)
    if precision == InForcePrecision.MONTH:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return Period(day.replace(day=1), following - timedelta(days=1))
    return Period(day, day)


def span(periods: Iterable[Period]) -> Period | None:
    """The smallest period holding all of these; None if there are none."""
    periods = list(periods)
    if not periods:
        return None
    return Period(min(p.start for p in periods), max(p.end for p in periods))


@dataclass(frozen=True)
class Reading:
    """A link read against the law: the version that applies, and what else the reader must know.

    ``applies`` is the version in force when the events began (or, if the
    clause was not yet in force then, the first one in force during them).
    ``during`` lists the other versions in force at some point of the period:
    when it is not empty, the events straddle an amendment. ``later`` lists
    the versions that came into force after the events.
    """

    period: Period
    applies: Version | None
    during: tuple[Version, ...]
    later: tuple[Version, ...]

    @property
    def straddles(self) -> bool:
        return bool(self.during)

    @property
    def not_in_force(self) -> bool:
        """The clause was not in force at any point of the period."""
        return self.applies is None


def read_in_time(versions: Sequence[Version], period: Period) -> Reading:
    overlapping = [
        v
        for v in versions
        if v.valid_from <= period.end and (v.valid_until is None or period.start < v.valid_until)
    ]
    applies = overlapping[0] if overlapping else None
    return Reading(
        period=period,
        applies=applies,
        during=tuple(overlapping[1:]),
        later=tuple(v for v in versions if v.valid_from > period.end),
    )


# --- Dates in addresses -------------------------------------------------------------------


def parse_as_at(raw: str) -> date:
    """The day of an ``@YYYY-MM-DD`` address or ``?as_at=``; 400 if it is not a real date."""
    try:
        if len(raw) != len("YYYY-MM-DD"):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise BadQuery(
            gettext("Give the date as year-month-day, e.g. 2010-06-01; %(raw)s is not a date.")
            % {"raw": raw[:20]}
        ) from None


def version_as_at(versions: Sequence[Version], day: date) -> Version:
    """The version in force on ``day``; 404 if the clause was not in force then."""
    version = version_on(versions, day)
    if version is None:
        raise Http404(gettext("The clause was not in force on %(day)s.") % {"day": day.isoformat()})
    return version


# --- Comparing two versions ----------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    """One line of a side-by-side comparison; ``kind`` is equal, replace, delete or insert."""

    kind: str
    old: str
    new: str


def version_diff(old: Version, new: Version, *, field: str = "official_text") -> list[DiffRow]:
    """Line by line, the difference between two versions' texts (official text by default)."""
    return text_diff(getattr(old, field), getattr(new, field))


def text_diff(old: str, new: str) -> list[DiffRow]:
    """Line by line, the difference between two texts, as rows side by side."""
    old_lines = old.splitlines()
    new_lines = new.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for kind, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(left), len(right))):
            rows.append(
                DiffRow(
                    kind=kind,
                    old=left[index] if index < len(left) else "",
                    new=right[index] if index < len(right) else "",
                )
            )
    return rows


def version_by_slug(versions: Sequence[Version], slug: str) -> Version:
    """The version that came into force on the day ``slug`` names; 400 or 404 otherwise."""
    day = parse_as_at(slug)
    for version in versions:
        if version.valid_from == day:
            return version
    raise Http404(gettext("No version of this clause came into force on %(day)s.") % {"day": slug})


def version_note(version: Version, *, as_at: date | None = None) -> str:
    """Which version a citation, an export or a harvested record means, in words.

    In English whatever the reader's language: it goes into citations and data
    files, which are read by machines and cited across languages.
    """
    applies = f"text in force from {version.start_label} ({version.instrument})"
    if as_at is not None:
        return f"as in force on {as_at.isoformat()}: {applies}"
    return applies
