"""Writes to laws and their versions that are not an editor's form in the admin."""

from datetime import date

from django.db import transaction

from laws.models import Amendment, ClauseVersion, InForcePrecision, Law

AS_ENACTED = "as-enacted"


@transaction.atomic
def clause_versions_fill() -> int:
    """Give every clause without versions one from its own text, as enacted; how many were made.

    The law's "as enacted" instrument is used when there is one (the fixtures
    give the day each law came into force); otherwise one is made from the
    law's year, with the precision "year" for an editor to correct. Run after
    loading laws, so that every clause reads against a stored version.
    """
    made = 0
    for law in Law.objects.filter(clauses__versions__isnull=True).distinct():
        enacted, _ = Amendment.objects.get_or_create(
            law=law,
            slug=AS_ENACTED,
            defaults={
                "kind": Amendment.Kind.ENACTMENT,
                "name": law.title_en,
                "name_th": law.title_th,
                "in_force_from": date(law.year, 1, 1),
                "in_force_precision": InForcePrecision.YEAR,
            },
        )
        rows = ClauseVersion.objects.bulk_create(
            ClauseVersion(
                clause=clause,
                amendment=enacted,
                valid_from=enacted.in_force_from,
                summary=clause.summary,
                summary_th=clause.summary_th,
                official_text=clause.official_text,
                official_text_source=clause.official_text_source,
            )
            for clause in law.clauses.filter(versions__isnull=True)
        )
        made += len(rows)
    return made
