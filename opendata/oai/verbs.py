"""The six OAI-PMH verbs, answered as response documents.

``respond`` takes the query arguments and returns the XML. Protocol errors are
answered inside a normal response (HTTP 200), as OAI-PMH requires.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from archive import licences
from opendata.oai import repository
from opendata.oai.protocol import (
    GRANULARITY,
    METADATA_PREFIX,
    OAIError,
    Position,
    format_datestamp,
    make_token,
    parse_date_range,
    parse_request,
    read_token,
)
from opendata.oai.xml import (
    DC,
    OAI_DC,
    OAI_IDENTIFIER,
    element,
    envelope,
    schema_location,
    serialise,
)
from testimonies.vocabulary import Language

# ElementTree writes this as xml:lang, which Dublin Core elements take.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The licence's address first: harvesters read a URI in dc:rights as the licence.
RIGHTS = (
    licences.TEXTS.url,
    f"Text licensed under {licences.TEXTS.title} ({licences.TEXTS.name}); cite the "
    "permalink. Narrators are named only by pseudonym; do not try to identify them.",
)
# What the oai-identifier description's schema accepts as a repository name.
_DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
_LANGUAGES = dict(Language.choices)


@dataclass(frozen=True)
class Site:
    base_url: str  # the endpoint's absolute URL
    repository_identifier: str  # the <name> in oai:<name>:T-0001
    absolute: Callable[[str], str]  # path -> absolute URL

    def identifier(self, public_id: str) -> str:
        return f"oai:{self.repository_identifier}:{public_id}"

    def public_id(self, identifier: str) -> str:
        prefix = f"oai:{self.repository_identifier}:"
        if not identifier.startswith(prefix) or not identifier[len(prefix) :]:
            raise OAIError("idDoesNotExist", f"There is no record '{identifier}' here.")
        return identifier[len(prefix) :]


def _require_oai_dc(prefix: str) -> None:
    if prefix != METADATA_PREFIX:
        raise OAIError(
            "cannotDisseminateFormat", f"Records are available as {METADATA_PREFIX} only."
        )


def _header(parent: ET.Element, record: repository.Record, site: Site) -> None:
    attributes = {"status": "deleted"} if record.deleted else {}
    header = element(parent, "header", **attributes)
    element(header, "identifier", site.identifier(record.public_id))
    element(header, "datestamp", format_datestamp(record.datestamp))
    for spec in record.sets:
        element(header, "setSpec", spec)


def _dublin_core(parent: ET.Element, record: repository.Record, site: Site) -> None:
    testimony = record.testimony
    assert testimony is not None  # a record that is not deleted, read with its metadata
    metadata = element(parent, "metadata")
    dc = element(metadata, f"{{{OAI_DC}}}dc")
    schema_location(dc, OAI_DC)

    def add(name: str, text: str) -> None:
        if text:
            element(dc, f"{{{DC}}}{name}", text)

    add("title", testimony.title)
    add("creator", testimony.narrator_pseudonym)
    for subject in record.subjects:
        add("subject", subject)
    for subject in record.subjects_th:
        element(dc, f"{{{DC}}}subject", subject, **{XML_LANG: "th"})
    for text, path in record.relations:
        # The clause as the account reads it: the version in force when its events happened.
        add("relation", f"{text}: {site.absolute(path)}")
    add("description", testimony.summary)
    if testimony.is_sample:
        add("description", "Illustrative sample written for demonstration, not a real testimony.")
    add("publisher", settings.ARCHIVE_NAME)
    if testimony.first_published_at:
        add("date", timezone.localdate(testimony.first_published_at).isoformat())
    add("type", "Text")
    add("identifier", site.absolute(testimony.get_absolute_url()))
    add("source", testimony.source)
    add("language", testimony.language)
    add("coverage", f"{repository.province_label(testimony.province)}, Thailand")
    add("coverage", str(testimony.year_of_events))
    for rights in RIGHTS:
        add("rights", rights)


def _identify(arguments: dict[str, str], site: Site) -> ET.Element:
    node = element(None, "Identify")
    element(node, "repositoryName", settings.ARCHIVE_NAME)
    element(node, "baseURL", site.base_url)
    element(node, "protocolVersion", "2.0")
    element(node, "adminEmail", settings.ARCHIVE_CONTACT_EMAIL)
    earliest = repository.earliest_datestamp() or datetime.now(UTC)
    element(node, "earliestDatestamp", format_datestamp(earliest))
    # Withdrawn testimonies keep their public id and tombstone for good.
    element(node, "deletedRecord", "persistent")
    element(node, "granularity", GRANULARITY)
    if _DOMAIN.fullmatch(site.repository_identifier):
        description = element(node, "description")
        identifier = element(description, f"{{{OAI_IDENTIFIER}}}oai-identifier")
        schema_location(identifier, OAI_IDENTIFIER)
        for name, text in [
            ("scheme", "oai"),
            ("repositoryIdentifier", site.repository_identifier),
            ("delimiter", ":"),
            ("sampleIdentifier", site.identifier("T-0001")),
        ]:
            element(identifier, f"{{{OAI_IDENTIFIER}}}{name}", text)
    return node


def _list_metadata_formats(arguments: dict[str, str], site: Site) -> ET.Element:
    if "identifier" in arguments:
        public_id = site.public_id(arguments["identifier"])
        if not repository.find(public_id).exists():
            raise OAIError("idDoesNotExist", f"There is no record '{arguments['identifier']}'.")
    node = element(None, "ListMetadataFormats")
    metadata_format = element(node, "metadataFormat")
    element(metadata_format, "metadataPrefix", METADATA_PREFIX)
    element(metadata_format, "schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    element(metadata_format, "metadataNamespace", OAI_DC)
    return node


def _list_sets(arguments: dict[str, str], site: Site) -> ET.Element:
    if "resumptionToken" in arguments:
        # Every set fits in one response, so no token was ever handed out.
        raise OAIError("badResumptionToken", "ListSets hands out no resumption tokens.")
    laws = repository.sets()
    if not laws:
        raise OAIError("noSetHierarchy", "There are no sets yet.")
    node = element(None, "ListSets")
    for law in laws:
        entry = element(node, "set")
        element(entry, "setSpec", law.slug)
        element(entry, "setName", f"{law.short_name}: {law.title_en}")
        if law.summary:
            description = element(entry, "setDescription")
            dc = element(description, f"{{{OAI_DC}}}dc")
            schema_location(dc, OAI_DC)
            element(dc, f"{{{DC}}}description", law.summary)
    return node


def _get_record(arguments: dict[str, str], site: Site) -> ET.Element:
    _require_oai_dc(arguments["metadataPrefix"])
    row = repository.find(site.public_id(arguments["identifier"])).first()
    if row is None:
        raise OAIError("idDoesNotExist", f"There is no record '{arguments['identifier']}'.")
    (record,) = repository.load([row], metadata=True)
    node = element(None, "GetRecord")
    _record(node, record, site)
    return node


def _record(parent: ET.Element, record: repository.Record, site: Site) -> None:
    node = element(parent, "record")
    _header(node, record, site)
    if not record.deleted:
        _dublin_core(node, record, site)


def _list(verb: str, arguments: dict[str, str], site: Site) -> ET.Element:
    position = None
    if "resumptionToken" in arguments:
        position = read_token(arguments["resumptionToken"], verb=verb)
        arguments = position.arguments
    _require_oai_dc(arguments["metadataPrefix"])
    dates = parse_date_range(arguments)
    set_spec = arguments.get("set")
    if set_spec is not None and not repository.set_exists(set_spec):
        raise OAIError("badArgument", f"There is no set '{set_spec}'.")
    selected = repository.selection(dates=dates, set_spec=set_spec)
    rows = selected
    if position is not None:
        rows = repository.after(selected, datestamp=position.after_datestamp, pk=position.after_id)
    size = settings.ARCHIVE_OAI_PAGE_SIZE
    metadata = verb == "ListRecords"
    # The body is never part of a record's metadata; leave it in the database.
    page = list(rows.defer("body")[: size + 1])
    if not page:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    more = len(page) > size
    page = page[:size]
    node = element(None, verb)
    for record in repository.load(page, metadata=metadata):
        if metadata:
            _record(node, record, site)
        else:
            _header(node, record, site)
    cursor = position.cursor if position else 0
    if more or position is not None:
        last = page[-1]
        token = (
            make_token(
                Position(
                    verb=verb,
                    arguments=arguments,
                    after_datestamp=last.datestamp,
                    after_id=last.pk,
                    cursor=cursor + len(page),
                )
            )
            if more
            else None
        )
        element(
            node,
            "resumptionToken",
            token,
            completeListSize=str(selected.count()),
            cursor=str(cursor),
        )
    return node


_HANDLERS: dict[str, Callable[[dict[str, str], Site], ET.Element]] = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": lambda arguments, site: _list("ListIdentifiers", arguments, site),
    "ListRecords": lambda arguments, site: _list("ListRecords", arguments, site),
}


def respond(query: dict[str, list[str]], *, site: Site) -> bytes:
    """The response document for one request's arguments."""
    try:
        request = parse_request(query)
        body = _HANDLERS[request.verb](request.arguments, site)
    except OAIError as error:
        # After badVerb or badArgument the request is not echoed: it was not valid.
        echoed = (
            {}
            if error.code in ("badVerb", "badArgument")
            else {"verb": request.verb, **request.arguments}
        )
        root = envelope(site.base_url, echoed)
        element(root, "error", error.message, code=error.code)
        return serialise(root)
    root = envelope(site.base_url, {"verb": request.verb, **request.arguments})
    root.append(body)
    return serialise(root)
