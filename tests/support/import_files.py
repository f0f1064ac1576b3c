"""Import files for the bulk import tests: generated rows, written as CSV or XLSX."""

import csv
from pathlib import Path

import tablib

from testimonies.imports import TestimonyResource
from tests.support import factories

# The columns the import takes, in its own order: one list, kept by the resource.
COLUMNS = list(TestimonyResource.Meta.fields)
NATIONALITIES = ["burmese", "lao", "thai", "shan", "cambodian"]
PROVINCES = ["chiang-mai", "tak", "bangkok", "chonburi"]


def make_vocabulary() -> dict:
    """The clauses and violation types the generated rows refer to, by natural key."""
    law = factories.make_law(slug="atipa-2008", short_name="ATIPA 2008")
    clauses = {
        slug: factories.make_clause(law=law, slug=slug, number=slug)
        for slug in ["s-27-2", "s-29", "s-33", "s-41"]
    }
    types = {
        slug: factories.make_violation_type(slug=slug)
        for slug in ["raid", "arb-det-shelter", "forced-med-exam"]
    }
    return {"clauses": clauses, "types": types}


def rows(count: int, *, prefix: str = "imp") -> list[dict]:
    """``count`` valid rows; row n links 1 to 3 clauses and 0 to 2 violations."""
    generated = []
    for n in range(1, count + 1):
        clauses = ["atipa-2008/s-29:invoked", "atipa-2008/s-33:not-applied", "atipa-2008/s-27-2"]
        violations = ["raid:police", "arb-det-shelter:shelter-staff"]
        generated.append(
            {
                "external_ref": f"{prefix}-{n:05d}",
                "title": f"Imported account {prefix} {n}",
                "narrator_pseudonym": f"Pseudonym {n}",
                "nationality": NATIONALITIES[n % len(NATIONALITIES)],
                "age_group": "25-34" if n % 2 else "",
                "work_setting": "karaoke" if n % 3 else "Massage parlour or sauna",
                "province": PROVINCES[n % len(PROVINCES)],
                "year_of_events": str(2005 + n % 8),
                "date_recorded": f"2012-{1 + n % 12:02d}-{1 + n % 28:02d}" if n % 4 else "",
                "language": "en",
                "summary": f"Summary {n}.",
                "body": f"First paragraph of imported account {n}.\n\nSecond paragraph {n}.",
                "content_note": "",
                "source": "Generated for the import tests",
                "is_sample": "yes",
                "clauses": "; ".join(clauses[: 1 + n % 3]),
                "violations": "; ".join(violations[: n % 3]),
            }
        )
    return generated


def expected_links(count: int) -> tuple[int, int]:
    """How many clause links and violations ``rows(count)`` should create."""
    return (
        sum(1 + n % 3 for n in range(1, count + 1)),
        sum(n % 3 for n in range(1, count + 1)),
    )


def write_csv(path: Path, data: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(data[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(data)
    return path


def write_xlsx(path: Path, data: list[dict]) -> Path:
    """As a spreadsheet program would save it: years as numbers, dates as date cells."""
    from datetime import date

    dataset = tablib.Dataset(headers=list(data[0]))
    for row in data:
        values = dict(row)
        values["year_of_events"] = int(values["year_of_events"])
        if values["date_recorded"]:
            values["date_recorded"] = date.fromisoformat(values["date_recorded"])
        dataset.append([values[column] for column in dataset.headers])
    path.write_bytes(dataset.export("xlsx"))
    return path
