"""A testimony's clause links read against the law as it stood when the events happened.

The events' period is the testimony's year of events; when the account
recounts published raids dated within that year, it narrows to the raids'
dates, each as precise as it is known (a day, a month or the year). A raid
dated outside the year does not widen it: the year is what the editor
vouched for, and keeping the period inside it lets a clause page find the
accounts of each version by year first.

Only public testimonies and public raids are read here; a draft raid never
narrows a public account's period, so its existence cannot be inferred.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from archive.prepared import Prepared
from laws import versions as law_versions
from laws.models import Clause, ClauseVersion
from laws.versions import Period, Reading, Version
from testimonies.models import RaidIncident, Testimony, TestimonyClause

# How many accounts each version of a clause lists on its page; the search finds the rest.
VERSION_LINKS_SHOWN = 50


def events_period(*, year: int, raids: Iterable[RaidIncident]) -> Period:
    """The period of an account's events: its year, narrowed to the raids within it."""
    whole_year = Period.year(year)
    raid_periods = [
        law_versions.dated_period(raid.date, raid.date_precision)
        for raid in raids
        if raid.date.year == year
    ]
    return law_versions.span(raid_periods) or whole_year


def testimony_period(*, testimony: Testimony) -> Period:
    """The period of a public testimony's events; reads its prefetched public raids."""
    return events_period(year=testimony.year_of_events, raids=testimony.incidents.all())


@dataclass(frozen=True)
class ReadLink:
    """A clause link with the version of the clause it is read against."""

    link: TestimonyClause
    reading: Reading


def _linked_clause_versions(testimony_id: int) -> QuerySet[ClauseVersion]:
    linked = TestimonyClause.objects.filter(testimony_id=testimony_id).values("clause_id")
    return (
        ClauseVersion.objects.filter(clause_id__in=linked)
        .select_related("amendment")
        .order_by("clause_id", "valid_from")
    )


# Read for every testimony page with links: compiled once (archive/prepared.py).
_LINKED_CLAUSE_VERSIONS = Prepared(ClauseVersion, _linked_clause_versions, testimony_id=int)


def read_links(*, testimony: Testimony, links: Sequence[TestimonyClause]) -> list[ReadLink]:
    """Each link of a public testimony, in its order, read against its clause's versions.

    ``links`` are the testimony's own (all of them or some): their clauses'
    versions are read by the testimony's id, one statement whatever their number.
    """
    period = testimony_period(testimony=testimony)
    clauses = {link.clause for link in links}
    stored = _LINKED_CLAUSE_VERSIONS.rows(testimony_id=testimony.pk) if clauses else []
    by_clause = law_versions.versions_from_rows(clauses, stored)
    return [
        ReadLink(link=link, reading=law_versions.read_in_time(by_clause[link.clause_id], period))
        for link in links
    ]


@dataclass(frozen=True)
class ReadClause:
    """A clause a raid record cites, with the version in force on the raid's date."""

    clause: Clause
    reading: Reading


def read_incident_clauses(*, incident: RaidIncident, clauses: Sequence[Clause]) -> list[ReadClause]:
    """Each clause a public raid cites, in its order, read on the raid's date (as precise
    as it is known: a raid dated only by month or year may straddle an amendment)."""
    period = law_versions.dated_period(incident.date, incident.date_precision)
    by_clause = law_versions.versions_by_clause(clauses)
    return [
        ReadClause(clause=clause, reading=law_versions.read_in_time(by_clause[clause.pk], period))
        for clause in clauses
    ]


def public_raids_by_testimony(testimony_ids: Iterable[int]) -> dict[int, list[RaidIncident]]:
    """The published raids each of these testimonies recounts, in one query."""
    raids: dict[int, list[RaidIncident]] = {}
    through = RaidIncident.testimonies.through.objects.filter(
        Exists(RaidIncident.objects.public().filter(pk=OuterRef("raidincident_id"))),
        testimony_id__in=list(testimony_ids),
    ).select_related("raidincident")
    for row in through:
        raids.setdefault(row.testimony_id, []).append(row.raidincident)
    return raids


def readings_for_links(links: Sequence[TestimonyClause]) -> dict[int, Reading]:
    """Each link (by pk) read in time; for lists of links of public testimonies (API, CSV).

    Reads ``link.testimony.year_of_events``, so select the testimony with the links.
    """
    raids = public_raids_by_testimony({link.testimony_id for link in links})
    by_clause = law_versions.versions_by_clause({link.clause for link in links})
    return {
        link.pk: law_versions.read_in_time(
            by_clause[link.clause_id],
            events_period(
                year=link.testimony.year_of_events, raids=raids.get(link.testimony_id, [])
            ),
        )
        for link in links
    }


@dataclass(frozen=True)
class VersionAccounts:
    """A version of a clause and the public accounts whose events fall in it."""

    version: Version
    links: tuple[TestimonyClause, ...]
    more: bool
    # The version before it, for the link to compare the two.
    previous: Version | None = None


def accounts_by_version(
    *, versions: Sequence[Version], public_links: "QuerySet[TestimonyClause]"
) -> list[VersionAccounts]:
    """For each version, the first links of public testimonies whose events overlap it.

    ``public_links`` must already be limited to public testimonies (the
    selectors' ``clause_testimony_links``); an account whose events straddle
    an amendment is listed under each version it spans. The year of events
    bounds each query (a period never leaves its year), and reading stops one
    row past what is shown, so a clause of thousands of accounts costs a page.
    """
    today = timezone.localdate()
    grouped = []
    for index, version in enumerate(versions):
        last = version.last_day or today
        candidates = public_links.filter(
            testimony__year_of_events__gte=version.valid_from.year,
            testimony__year_of_events__lte=last.year,
        )
        inside: list[TestimonyClause] = []
        for chunk in _chunks(candidates, size=VERSION_LINKS_SHOWN * 2):
            raids = public_raids_by_testimony({link.testimony_id for link in chunk})
            for link in chunk:
                period = events_period(
                    year=link.testimony.year_of_events, raids=raids.get(link.testimony_id, [])
                )
                if version.valid_from <= period.end and (
                    version.valid_until is None or period.start < version.valid_until
                ):
                    inside.append(link)
            if len(inside) > VERSION_LINKS_SHOWN:
                break
        grouped.append(
            VersionAccounts(
                version=version,
                links=tuple(inside[:VERSION_LINKS_SHOWN]),
                more=len(inside) > VERSION_LINKS_SHOWN,
                previous=versions[index - 1] if index else None,
            )
        )
    return grouped


def _chunks(rows: "QuerySet[TestimonyClause]", *, size: int) -> Iterator[list[TestimonyClause]]:
    offset = 0
    while True:
        chunk = list(rows[offset : offset + size])
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        offset += size
