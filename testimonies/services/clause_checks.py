"""What a reviewer is shown of a record's clause links: each in full, and the unlikely ones.

A link to the wrong law reads as a plain label ("s. 29") in a list, and the
Constitution, ATIPA and the Immigration Act all have one. These checks warn,
they never refuse: a later law can be right (an account told years on, a law
cited by the authorities anachronistically), so the reviewer decides.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from laws import versions as law_versions
from laws.models import Clause, Law
from laws.versions import Period, Reading
from testimonies.law_in_time import events_period, public_raids_by_testimony
from testimonies.models import RaidIncident, Testimony

# Thailand's positions towards a treaty under which it does not bind Thailand.
_NOT_BINDING = (Law.Ratification.SIGNED, Law.Ratification.NOT_PARTY)


@dataclass(frozen=True)
class LinkInFull:
    """One clause link as a reviewer must read it: the law named in full."""

    citation: str
    heading: str
    law_title: str
    law_year: int
    relation: str

    def __str__(self) -> str:
        return f"{self.citation}: {self.heading} ({self.law_title}, {self.law_year})"


def law_in_full(law: Law) -> str:
    """A law as the admin names it beside a link: short name, title and year."""
    return f"{law.short_name}: {law.title_en} ({law.year})"


def _in_full(clause: Clause, relation: str) -> LinkInFull:
    return LinkInFull(
        citation=clause.citation,
        heading=clause.heading,
        law_title=clause.law.title_en,
        law_year=clause.law.year,
        relation=relation,
    )


def links_in_full(record: Testimony | RaidIncident) -> list[LinkInFull]:
    """Every clause the record's public page will show, with its law and relation.

    A testimony's clause links and the clauses its violations breach; an
    incident's clauses invoked and its violations' clauses.
    """
    violations = record.violations.prefetch_related(
        Prefetch("clauses_breached", queryset=Clause.objects.select_related("law"))
    )
    if isinstance(record, Testimony):
        links = [
            _in_full(link.clause, link.get_relation_display())
            for link in record.clause_links.select_related("clause__law")
        ]
    else:
        links = [
            _in_full(clause, _("Invoked by authorities"))
            for clause in record.clauses_invoked.select_related("law")
        ]
    breached = [
        _in_full(clause, _("Breached: %(violation)s") % {"violation": violation.violation_type})
        for violation in violations.select_related("violation_type")
        for clause in violation.clauses_breached.all()
    ]
    return [*links, *breached]


def _events_period(record: Testimony | RaidIncident) -> Period | None:
    """The period the public page reads the record's links against; None for an undated raid."""
    if isinstance(record, Testimony):
        raids = public_raids_by_testimony([record.pk]).get(record.pk, [])
        return events_period(year=record.year_of_events, raids=raids)
    return law_versions.dated_period(record.date, record.date_precision) if record.date else None


def _period_label(period: Period) -> str:
    if period == Period.year(period.start.year):
        return str(period.start.year)
    if period.start == period.end:
        return period.start.isoformat()
    # An ISO 8601 interval reads the same in both languages.
    return f"{period.start.isoformat()}/{period.end.isoformat()}"


def _linked_clauses(record: Testimony | RaidIncident) -> list[Clause]:
    direct = (
        Clause.objects.filter(testimony_links__testimony=record)
        if isinstance(record, Testimony)
        else record.clauses_invoked.all()
    )
    breached = Clause.objects.filter(violations__in=record.violations.all())
    seen: dict[int, Clause] = {}
    for clause in [*direct.select_related("law"), *breached.select_related("law")]:
        seen.setdefault(clause.pk, clause)
    return list(seen.values())


def unlikely_links(record: Testimony | RaidIncident) -> list[str]:
    """Sentences naming each linked clause that did not apply when the events happened:
    no version of it was in force during them (its law adopted later, the clause added
    by a later amendment, or the law in force only after the events of its own year),
    or its law is a treaty that did not yet (or never) bind Thailand.

    The archive's accounts all took place in Thailand. The events' period is the one
    the public page reads the links against (``testimonies.law_in_time``): the year of
    events, narrowed to the dates of the raids the account recounts.
    """
    period = _events_period(record)
    clauses = _linked_clauses(record)
    by_clause = law_versions.versions_by_clause(clauses)
    warnings = []
    for clause in clauses:
        law = clause.law
        names = {
            "clause": clause.citation,
            "law": law_in_full(law),
            "events": _period_label(period) if period else "",
        }
        reading = law_versions.read_in_time(by_clause[clause.pk], period) if period else None
        if reading is not None and reading.not_in_force:
            warnings.append(_not_in_force(reading, law, names))
        elif law.ratification_status in _NOT_BINDING:
            warnings.append(
                _(
                    "%(clause)s belongs to %(law)s, which Thailand has not ratified. "
                    "Check that this is the clause you meant."
                )
                % names
            )
        elif period is not None and law.ratification_date and law.ratification_date > period.end:
            warnings.append(
                _(
                    "%(clause)s belongs to %(law)s, which bound Thailand only from %(bound)s, "
                    "after the events (%(events)s). Check that this is the clause you meant."
                )
                % {**names, "bound": law.ratification_date.year}
            )
    return warnings


def _not_in_force(reading: Reading, law: Law, names: dict[str, str]) -> str:
    """Why a clause with no version in force during the events does not apply."""
    if law.year > reading.period.end.year:
        return (
            _(
                "%(clause)s belongs to %(law)s, which was adopted after the events "
                "(%(events)s). Check that this is the clause you meant."
            )
            % names
        )
    if reading.later:
        return _(
            "%(clause)s came into force only on %(start)s, after the events "
            "(%(events)s). Check that this is the clause you meant."
        ) % {**names, "start": reading.later[0].start_label}
    return (
        _(
            "%(clause)s was no longer in force at the time of the events (%(events)s). "
            "Check that this is the clause you meant."
        )
        % names
    )
