"""Writing OAI-PMH response documents (ElementTree, no template can forget to escape)."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from opendata.oai.protocol import format_datestamp

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
SCHEMAS = {
    OAI: "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    OAI_DC: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    OAI_IDENTIFIER: "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
}

for _prefix, _uri in [("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)]:
    ET.register_namespace(_prefix, _uri)

# XML 1.0 cannot carry these at all, even escaped; an editor's stray control
# character must not make the whole response unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: str):
    """An element in the OAI namespace unless ``tag`` is already qualified."""
    name = tag if tag.startswith("{") else f"{{{OAI}}}{tag}"
    node = ET.Element(name) if parent is None else ET.SubElement(parent, name)
    for key, value in attributes.items():
        node.set(key, clean(value))
    if text is not None:
        node.text = clean(text)
    return node


def schema_location(node: ET.Element, namespace: str) -> None:
    node.set(f"{{{XSI}}}schemaLocation", f"{namespace} {SCHEMAS[namespace]}")


def envelope(base_url: str, request_attributes: dict[str, str]) -> ET.Element:
    root = element(None, "OAI-PMH")
    schema_location(root, OAI)
    element(root, "responseDate", format_datestamp(datetime.now(UTC)))
    element(root, "request", base_url, **request_attributes)
    return root


def serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
