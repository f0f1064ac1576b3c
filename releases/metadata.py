"""What describes a release: its Data Package, its citation and its DataCite record.

Pure functions of the release's facts (number, date, site, counts, file
sizes and digests), so a release can be described again after a withdrawal
amends its files.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml

from archive import licences
from releases.files import SQLITE_NAME, csv_name, json_name
from releases.tables import Table

DATAPACKAGE_NAME = "datapackage.json"
CITATION_NAME = "CITATION.cff"
DATACITE_NAME = "datacite.json"
METADATA_NAMES = (DATAPACKAGE_NAME, CITATION_NAME, DATACITE_NAME)


@dataclass(frozen=True)
class Facts:
    number: int
    created_at: datetime
    archive_name: str
    site_url: str  # no trailing slash
    release_url: str  # the release's permanent address
    contact_email: str
    law_sources: tuple[tuple[str, str], ...] = ()  # (title, official text URL)

    @property
    def version(self) -> str:
        return str(self.number)

    @property
    def title(self) -> str:
        return f"{self.archive_name}: dataset release {self.number}"

    @property
    def day(self) -> str:
        return self.created_at.date().isoformat()


DESCRIPTION = (
    "Testimonies of sex and entertainment workers in Thailand about anti-trafficking "
    "practice, each linked to the Thai and international legal clauses it concerns, with "
    "raid incidents, rights violations, the laws and clauses, and the vocabularies. Only "
    "published records; a record whose narrator withdraws consent is removed from every "
    "release, and the release notes the date it was amended."
)


def _licence(licence: licences.Licence) -> dict[str, str]:
    return {"name": licence.name.replace(" ", "-"), "path": licence.url, "title": licence.title}


def _schema(table: Table, *, suffix: str) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = list(column.enum)
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description,
        }
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "fields": fields,
        "missingValues": list(table.missing_values),
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {
                "fields": list(fk.columns),
                "reference": {
                    # A key to its own table names no resource, as the spec asks.
                    "resource": "" if fk.table == table.name else fk.table + suffix,
                    "fields": list(fk.table_columns),
                },
            }
            for fk in table.foreign_keys
        ],
    }


def datapackage(
    facts: Facts, tables: tuple[Table, ...], stats: dict[str, tuple[int, str]]
) -> dict[str, Any]:
    """The Frictionless Data Package; ``stats`` gives each file's (bytes, sha256)."""
    resources: list[dict[str, Any]] = []
    for table in tables:
        for name, fmt, media, suffix in (
            (csv_name(table), "csv", "text/csv", ""),
            (json_name(table), "json", "application/json", "-json"),
        ):
            resource: dict[str, Any] = {
                "name": table.name + suffix,
                "path": name,
                "profile": "tabular-data-resource",
                "title": table.title,
                "description": table.description,
                "format": fmt,
                "mediatype": media,
                "encoding": "utf-8",
                "licenses": [_licence(licence) for licence in table.licences],
                "schema": _schema(table, suffix=suffix),
            }
            if fmt == "csv":
                # Frictionless reads JSON through a parser that counts no bytes, so
                # it would fail any size given; SHA256SUMS covers the JSON files.
                size, digest = stats[name]
                resource |= {"bytes": size, "hash": f"sha256:{digest}"}
            resources.append(resource)
    size, digest = stats[SQLITE_NAME]
    resources.append(
        {
            "name": "sqlite",
            "path": SQLITE_NAME,
            "title": "Every table in one SQLite database",
            "description": "The same tables and keys, ready for Datasette or any SQLite client.",
            "format": "sqlite",
            "mediatype": "application/vnd.sqlite3",
            "bytes": size,
            "hash": f"sha256:{digest}",
            "licenses": [_licence(licences.TEXTS), _licence(licences.DATA)],
        }
    )
    return {
        "profile": "data-package",
        "name": f"testimony-archive-release-{facts.number}",
        "id": facts.release_url,
        "title": facts.title,
        "description": DESCRIPTION,
        "version": facts.version,
        "created": facts.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "homepage": facts.release_url,
        "licenses": [_licence(licences.TEXTS), _licence(licences.DATA)],
        "sources": [
            {"title": facts.archive_name, "path": facts.site_url + "/"},
            *({"title": title, "path": url} for title, url in facts.law_sources if url),
        ],
        "contributors": [
            {"title": facts.archive_name, "role": "publisher", "email": facts.contact_email},
            {
                "title": "The narrators, each cited under the pseudonym in their record",
                "role": "author",
            },
        ],
        "keywords": ["Thailand", "anti-trafficking", "sex work", "testimonies", "human rights"],
        "resources": resources,
    }


def citation_cff(facts: Facts) -> str:
    """CITATION.cff (Citation File Format 1.2.0), for GitHub, Zenodo and reference managers."""
    document = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": facts.title,
        "version": facts.version,
        "date-released": facts.day,
        "url": facts.release_url,
        "repository": facts.site_url + "/data/",
        "authors": [{"name": facts.archive_name, "email": facts.contact_email}],
        "abstract": DESCRIPTION,
        "license": [licences.TEXTS.name.replace(" ", "-"), licences.DATA.name.replace(" ", "-")],
        "keywords": ["Thailand", "anti-trafficking", "sex work", "testimonies"],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def datacite(facts: Facts, *, total_bytes: int, previous_url: str | None) -> dict[str, Any]:
    """The DataCite metadata (schema 4.5 in its JSON form) a DOI deposit asks for.

    The DOI itself is left empty: the repository that mints it fills it in.
    """
    record: dict[str, Any] = {
        "doi": None,
        "url": facts.release_url,
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Dataset release"},
        "creators": [{"name": facts.archive_name, "nameType": "Organizational"}],
        "titles": [{"title": facts.title, "lang": "en"}],
        "publisher": {"name": facts.archive_name},
        "publicationYear": facts.created_at.year,
        "version": facts.version,
        "dates": [{"date": facts.day, "dateType": "Issued"}],
        "language": "en",
        "subjects": [{"subject": s} for s in ("Thailand", "Anti-trafficking", "Sex work")],
        "sizes": [f"{total_bytes} bytes"],
        "formats": ["text/csv", "application/json", "application/vnd.sqlite3"],
        "rightsList": [
            {
                "rights": licence.title,
                "rightsUri": licence.url,
                "rightsIdentifier": licence.name.replace(" ", "-").lower(),
                "rightsIdentifierScheme": "SPDX",
            }
            for licence in (licences.TEXTS, licences.DATA)
        ],
        "descriptions": [{"description": DESCRIPTION, "descriptionType": "Abstract"}],
        "identifiers": [{"identifier": facts.release_url, "identifierType": "URL"}],
        "relatedIdentifiers": [],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    if previous_url:
        record["relatedIdentifiers"].append(
            {
                "relatedIdentifier": previous_url,
                "relatedIdentifierType": "URL",
                "relationType": "IsNewVersionOf",
            }
        )
    return record


def citation_text(facts: Facts) -> str:
    """The release cited in one line (APA-like), as the release page shows it."""
    return (
        f"{facts.archive_name} ({facts.created_at.year}). {facts.title} "
        f"(Version {facts.version}) [Data set]. {facts.release_url}"
    )
