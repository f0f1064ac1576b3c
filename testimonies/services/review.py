"""The checks a reviewer sees before publishing: broken markers, identifying text, consent."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from laws.models import Law
from testimonies import redaction
from testimonies.models import (
    Consent,
    ConsentScope,
    RaidIncident,
    RendersMarkedText,
    Testimony,
)
from testimonies.services.common import ConsentNeeded, WorkflowError


def published_with(record: Testimony | RaidIncident) -> list[RendersMarkedText]:
    """The record and the linked rows whose text its public pages show.

    A testimony's clause-link notes and violation notes, an incident's
    violation notes: checked with the record, so publishing it never
    publishes a linked note nobody looked at.
    """
    if isinstance(record, Testimony):
        links = record.clause_links.select_related("clause__law")
        violations = record.violations.select_related("violation_type")
        return [record, *links, *violations]
    return [record, *record.violations.select_related("violation_type")]


def _field_label(row: RendersMarkedText, source: str, record: models.Model) -> str:
    field = row._meta.get_field(source)
    assert isinstance(field, models.Field)  # a source is a text column, not a relation
    label = str(capfirst(field.verbose_name))
    if row is record:
        return label
    return _("%(field)s of %(row)s") % {
        "field": label,
        "row": f"{row._meta.verbose_name} {row}",
    }


def markup_errors(record: Testimony | RaidIncident) -> list[str]:
    """Broken redaction markers in the editors' text, each with the field it is in."""
    return [
        _("%(field)s: %(problem)s")
        % {"field": _field_label(row, source, record), "problem": problem}
        for row in published_with(record)
        for source, problems in row.markup_errors().items()
        for problem in problems
    ]


def identifying_text(record: Testimony | RaidIncident) -> list[redaction.Finding]:
    """What a reviewer is warned about before publishing: names, dates, venues left unmarked.

    Every field the public reads is checked, and the whole body, excerpt or
    not, so the warning does not depend on the consent record (which editors
    may not see).
    """
    text = "\n\n".join(
        rendered
        for row in published_with(record)
        for rendered in row.rendered_text(excerpts_only=False).values()
    )
    # The laws the archive holds are named in accounts ("the Palermo Protocol").
    law_names = [
        name for pair in Law.objects.values_list("short_name", "title_en") for name in pair
    ]
    pseudonym = getattr(record, "narrator_pseudonym", "")
    return redaction.find_identifying(text, allowed=(pseudonym, *law_names))


def check_markup(record: Testimony | RaidIncident) -> None:
    """Refuse a record whose redaction markers are broken: its text could leak a name."""
    problems = markup_errors(record)
    if problems:
        raise WorkflowError(
            _("%(record)s cannot be published: its redaction markers are broken (%(problems)s).")
            % {"record": record, "problems": "; ".join(problems)}
        )


def check_publishable(record: Testimony | RaidIncident) -> None:
    """Refuse, with a message for the reviewer, a record whose consent or text forbids it."""
    if isinstance(record, Testimony):
        testimony_check_publishable(record)
    else:
        incident_check_publishable(record)


def incident_check_publishable(incident: RaidIncident) -> None:
    """An incident has no narrator and so no consent: only its text can forbid it."""
    check_markup(incident)


def testimony_check_publishable(testimony: Testimony) -> None:
    """Refuse a testimony whose consent or text forbids publishing it.

    Records published before consent was recorded keep their public page;
    a new publication of them (a correction) needs the consent first.
    """
    consent = Consent.objects.filter(testimony_id=testimony.pk).first()
    if consent is None:
        raise ConsentNeeded(
            _(
                "%(record)s has no consent recorded; record the narrator's consent "
                "before publishing."
            )
            % {"record": testimony}
        )
    if not consent.allows_publication:
        raise ConsentNeeded(
            _("%(record)s cannot be published: the narrator's consent is for research only.")
            % {"record": testimony}
        )
    check_markup(testimony)
    if consent.scope == ConsentScope.EXCERPTS and not redaction.excerpt_count(
        testimony.body_source
    ):
        raise WorkflowError(
            _(
                "%(record)s cannot be published: consent covers excerpts only and no "
                "paragraph of the body begins with [[excerpt]]."
            )
            % {"record": testimony}
        )
