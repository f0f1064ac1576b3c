"""One pair of licences, and every surface that names them says the same."""

import xml.etree.ElementTree as ET

import pytest
from drf_spectacular.generators import SchemaGenerator

from archive import licences
from tests.support import factories

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


class LicenceTests:
    def test_oai_records_carry_the_text_licence_uri(self, client):
        testimony = factories.publish_testimony()
        response = client.get(
            "/oai",
            {
                "verb": "GetRecord",
                "identifier": f"oai:testserver:{testimony.public_id}",
                "metadataPrefix": "oai_dc",
            },
        )
        rights = [e.text for e in ET.fromstring(response.content).iter(f"{DC}rights")]
        assert rights[0] == licences.TEXTS.url
        assert licences.TEXTS.name in rights[1]

    def test_the_openapi_document_names_the_data_licence(self):
        info = SchemaGenerator().get_schema(request=None, public=True)["info"]
        assert info["license"] == {"name": licences.DATA.name, "url": licences.DATA.url}
        assert licences.TEXTS.url in info["description"]
