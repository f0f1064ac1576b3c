"""OAI-PMH 2.0: a real harvester over HTTP, and every protocol error."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from opendata.oai.protocol import Position, make_token
from testimonies.models import Testimony
from tests.support import factories

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ENDPOINT = "/oai"


def oai(client, method: str = "get", **arguments) -> ET.Element:
    response = getattr(client, method)(ENDPOINT, arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)


def error_code(root: ET.Element) -> str | None:
    error = root.find(f"{OAI}error")
    return None if error is None else error.get("code")


def identifier(testimony: Testimony, host: str = "testserver") -> str:
    return f"oai:{host}:{testimony.public_id}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class HarvestTests:
    """Sickle, the harvester many libraries use, against the live server."""

    @pytest.fixture(autouse=True)
    def small_pages(self, settings):
        settings.ARCHIVE_OAI_PAGE_SIZE = 3

    def harvester(self, live_server, requests: list) -> Sickle:
        return Sickle(
            f"{live_server.url}{ENDPOINT}",
            hooks={"response": lambda response, *args, **kwargs: requests.append(response.url)},
        )

    def test_whole_archive_once_through_resumption_tokens(self, live_server, open_archive):
        requests: list[str] = []
        sickle = self.harvester(live_server, requests)
        records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
        host = "localhost"
        published = {identifier(t, host): t for t in open_archive["published"]}
        withdrawn = identifier(open_archive["hidden"]["withdrawn"], host)
        harvested = [record.header.identifier for record in records]
        assert sorted(harvested) == sorted([*published, withdrawn])  # each exactly once
        assert len(requests) == 3  # 9 records, 3 a page
        assert sum("resumptionToken" in url for url in requests) == 2
        for record in records:
            if record.header.identifier == withdrawn:
                assert record.deleted and record.header.deleted
                assert "metadata" not in record.raw
                continue
            testimony = published[record.header.identifier]
            assert not record.deleted
            assert record.metadata["title"] == [testimony.title.replace("\r", "\n")]
            assert record.metadata["identifier"] == [
                f"{live_server.url}{testimony.get_absolute_url()}"
            ]
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
        assert sorted(header.identifier for header in headers) == sorted(harvested)
        assert [header.identifier for header in headers if header.deleted] == [withdrawn]

    def test_harvest_of_one_set(self, live_server, open_archive):
        sickle = self.harvester(live_server, [])
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="iccpr"))
        linked = [
            t for t in open_archive["published"] if t.clause_links.filter(clause__law__slug="iccpr")
        ]
        assert sorted(h.identifier for h in headers) == sorted(
            identifier(t, "localhost") for t in linked
        )
        assert all("iccpr" in header.setSpecs for header in headers)

    def test_incremental_harvest_from_a_datestamp(self, live_server, open_archive):
        new = open_archive["published"][1]
        base = datetime(2025, 1, 1, tzinfo=UTC)
        Testimony.objects.exclude(pk=new.pk).update(published_at=base, withdrawn_at=base)
        Testimony.objects.filter(pk=new.pk).update(published_at=base + timedelta(days=3))
        sickle = self.harvester(live_server, [])
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2025-01-02"}))
        assert [h.identifier for h in headers] == [identifier(new, "localhost")]
        with pytest.raises(NoRecordsMatch):
            list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2025-01-05"}))


pytestmark_db = pytest.mark.django_db


@pytestmark_db
class VerbTests:
    def test_identify(self, client, open_archive):
        root = oai(client, verb="Identify")
        identify = root.find(f"{OAI}Identify")
        assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
        assert identify.findtext(f"{OAI}baseURL") == "http://testserver/oai"
        assert identify.findtext(f"{OAI}deletedRecord") == "persistent"
        assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
        earliest = min(
            t.published_at
            for t in Testimony.objects.filter(status="published", public_id__isnull=False)
        )
        assert identify.findtext(f"{OAI}earliestDatestamp") == earliest.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert root.find(f"{OAI}request").get("verb") == "Identify"

    def test_identify_describes_identifiers_for_a_real_domain(self, client, settings, db):
        settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER = "archive.example.org"
        root = oai(client, verb="Identify")
        sample = root.find(
            ".//{http://www.openarchives.org/OAI/2.0/oai-identifier}sampleIdentifier"
        )
        assert sample.text == "oai:archive.example.org:T-0001"

    def test_list_metadata_formats(self, client, open_archive):
        root = oai(client, verb="ListMetadataFormats")
        assert [e.text for e in root.iter(f"{OAI}metadataPrefix")] == ["oai_dc"]
        one = identifier(open_archive["published"][0])
        root = oai(client, verb="ListMetadataFormats", identifier=one)
        assert error_code(root) is None

    def test_list_sets_one_per_law(self, client, open_archive):
        root = oai(client, verb="ListSets")
        assert [e.text for e in root.iter(f"{OAI}setSpec")] == ["atipa-2008", "iccpr"]
        assert root.findtext(f".//{OAI}setName").startswith("ATIPA 2008")

    def test_get_record_in_dublin_core(self, client, open_archive):
        testimony = open_archive["published"][1]
        root = oai(
            client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc"
        )
        record = root.find(f"{OAI}GetRecord/{OAI}record")
        header = record.find(f"{OAI}header")
        assert header.get("status") is None
        assert header.findtext(f"{OAI}identifier") == identifier(testimony)
        assert [e.text for e in header.iter(f"{OAI}setSpec")] == ["atipa-2008", "iccpr"]

        def dc(name):
            return [e.text for e in record.iter(f"{DC}{name}")]

        assert dc("title") == ["Wages lost in the raid"]
        assert dc("description") == ["Lost savings."]
        assert dc("identifier") == [f"http://testserver{testimony.get_absolute_url()}"]
        assert dc("language") == ["en"]
        assert dc("type") == ["Text"]
        assert dc("date") == [timezone.localdate(testimony.first_published_at).isoformat()]
        assert dc("subject") == [
            "ATIPA 2008, s. 29: Custody",
            "ICCPR, Art. 9: Liberty",
            "Arbitrary detention",
        ]
        assert dc("rights") and dc("creator") == [testimony.narrator_pseudonym]
        assert "2011" in dc("coverage")

    def test_get_record_of_a_withdrawn_testimony_is_a_deleted_header(self, client, open_archive):
        withdrawn = open_archive["hidden"]["withdrawn"]
        root = oai(
            client, verb="GetRecord", identifier=identifier(withdrawn), metadataPrefix="oai_dc"
        )
        record = root.find(f"{OAI}GetRecord/{OAI}record")
        assert record.find(f"{OAI}header").get("status") == "deleted"
        assert record.find(f"{OAI}header/{OAI}datestamp").text == withdrawn.withdrawn_at.astimezone(
            UTC
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert record.find(f"{OAI}metadata") is None

    def test_post_is_answered_like_get(self, client, open_archive):
        got = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        posted = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")
        assert [e.text for e in got.iter(f"{OAI}identifier")] == [
            e.text for e in posted.iter(f"{OAI}identifier")
        ]

    def test_from_and_until_are_inclusive_at_both_granularities(self, client, open_archive):
        first, second = open_archive["published"][:2]
        moment = datetime(2025, 6, 1, 12, 0, 0, 500_000, tzinfo=UTC)
        Testimony.objects.update(published_at=datetime(2024, 1, 1, tzinfo=UTC))
        Testimony.objects.filter(status="withdrawn").update(
            withdrawn_at=datetime(2024, 1, 1, tzinfo=UTC)
        )
        Testimony.objects.filter(pk=first.pk).update(published_at=moment)
        Testimony.objects.filter(pk=second.pk).update(published_at=moment + timedelta(days=1))

        def ids(**dates):
            root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **dates)
            return [e.text for e in root.iter(f"{OAI}identifier")]

        assert ids(**{"from": "2025-06-01T12:00:00Z", "until": "2025-06-01T12:00:00Z"}) == [
            identifier(first)
        ]
        assert ids(**{"from": "2025-06-01", "until": "2025-06-02"}) == [
            identifier(first),
            identifier(second),
        ]
        # Shown to the second, 12:00:00.5 is 12:00:00: not after 12:00:01.
        assert ids(**{"from": "2025-06-01T12:00:01Z"}) == [identifier(second)]
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2023-12-31")
        assert error_code(root) == "noRecordsMatch"


@pytestmark_db
class ProtocolErrorTests:
    @pytest.mark.parametrize(
        ("arguments", "code"),
        [
            ({}, "badVerb"),
            ({"verb": "Harvest"}, "badVerb"),
            ({"verb": ["Identify", "Identify"]}, "badVerb"),
            ({"verb": "Identify", "extra": "1"}, "badArgument"),
            ({"verb": "ListRecords"}, "badArgument"),
            ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"},
                "badArgument",
            ),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-02-30"},
                "badArgument",
            ),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-01-01T10:00Z"},
                "badArgument",
            ),
            (
                {
                    "verb": "ListRecords",
                    "metadataPrefix": "oai_dc",
                    "from": "2025-01-01",
                    "until": "2025-01-02T00:00:00Z",
                },
                "badArgument",
            ),
            (
                {
                    "verb": "ListIdentifiers",
                    "metadataPrefix": "oai_dc",
                    "from": "2025-01-02",
                    "until": "2025-01-01",
                },
                "badArgument",
            ),
            ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "nope"}, "badArgument"),
            (
                {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
                "badArgument",
            ),
            ({"verb": "GetRecord", "identifier": "oai:testserver:T-0001"}, "badArgument"),
            ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            (
                {
                    "verb": "GetRecord",
                    "identifier": "oai:testserver:T-0001",
                    "metadataPrefix": "mods",
                },
                "cannotDisseminateFormat",
            ),
            (
                {
                    "verb": "GetRecord",
                    "identifier": "oai:testserver:T-9999",
                    "metadataPrefix": "oai_dc",
                },
                "idDoesNotExist",
            ),
            (
                {
                    "verb": "GetRecord",
                    "identifier": "oai:elsewhere:T-0001",
                    "metadataPrefix": "oai_dc",
                },
                "idDoesNotExist",
            ),
            (
                {"verb": "GetRecord", "identifier": "T-0001", "metadataPrefix": "oai_dc"},
                "idDoesNotExist",
            ),
            (
                {"verb": "ListMetadataFormats", "identifier": "oai:testserver:T-9999"},
                "idDoesNotExist",
            ),
            ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
            ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
                "noRecordsMatch",
            ),
        ],
    )
    def test_errors_as_the_protocol_defines_them(self, client, open_archive, arguments, code):
        root = oai(client, **arguments)
        assert error_code(root) == code
        assert root.find(f"{OAI}error").text
        request = root.find(f"{OAI}request")
        assert request.text == "http://testserver/oai"
        if code in ("badVerb", "badArgument"):
            assert request.attrib == {}

    def test_no_set_hierarchy_without_laws(self, client, db):
        assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"

    def test_a_tampered_or_misused_token_is_refused(self, client, open_archive, settings):
        settings.ARCHIVE_OAI_PAGE_SIZE = 2
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
        assert token.get("completeListSize") == "9" and token.get("cursor") == "0"
        good = token.text
        follow = oai(client, verb="ListIdentifiers", resumptionToken=good)
        assert error_code(follow) is None
        assert follow.find(f".//{OAI}resumptionToken").get("cursor") == "2"
        tampered = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
        assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=tampered)) == (
            "badResumptionToken"
        )
        # A token handed out for headers is not good for records.
        assert error_code(oai(client, verb="ListRecords", resumptionToken=good)) == (
            "badResumptionToken"
        )

    def test_tokens_are_signed_with_the_secret_key(self, client, open_archive, settings):
        token = make_token(
            Position(
                verb="ListRecords",
                arguments={"metadataPrefix": "oai_dc"},
                after_datestamp=datetime(2020, 1, 1, tzinfo=UTC),
                after_id=0,
                cursor=0,
            )
        )
        assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) is None
        settings.SECRET_KEY = "another-key-another-key-another-key-another-key"
        assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == (
            "badResumptionToken"
        )

    def test_last_page_has_an_empty_token(self, client, open_archive, settings):
        settings.ARCHIVE_OAI_PAGE_SIZE = 5
        # One datestamp for every record: the pages must still split them exactly.
        same = datetime(2025, 3, 1, 8, 30, 15, 250_000, tzinfo=UTC)
        Testimony.objects.update(published_at=same, withdrawn_at=same)
        first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = first.find(f".//{OAI}resumptionToken").text
        last = oai(client, verb="ListIdentifiers", resumptionToken=token)
        end = last.find(f".//{OAI}resumptionToken")
        assert end.text is None and end.get("cursor") == "5" and end.get("completeListSize") == "9"
        assert len(list(last.iter(f"{OAI}header"))) == 4
        harvested = [e.text for page in (first, last) for e in page.iter(f"{OAI}identifier")]
        assert len(set(harvested)) == 9

    def test_control_characters_never_break_the_xml(self, client, open_archive):
        testimony = factories.publish_testimony(title="Bell\x07 and form feed\x0c", summary="ok")
        root = oai(
            client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc"
        )
        assert [e.text for e in root.iter(f"{DC}title")] == ["Bell and form feed"]

    def test_only_get_head_and_post(self, client, db):
        assert client.put(ENDPOINT).status_code == 405
        assert client.head(ENDPOINT, {"verb": "Identify"}).status_code == 200
        assert reverse("opendata:oai") == ENDPOINT


def _signed(payload: object) -> str:
    """A token signed with the archive's key, holding whatever it is given."""
    return signing.dumps(payload, salt="opendata.oai.resumption", compress=True)


_GOOD = {
    "v": "ListIdentifiers",
    "a": {"metadataPrefix": "oai_dc"},
    "d": "2020-01-01T00:00:00+00:00",
    "i": 0,
    "c": 0,
}


@pytestmark_db
class ExtremeArgumentTests:
    """Dates at the ends of the calendar and tokens of the wrong shape: errors, never a 500."""

    @pytest.fixture
    def published(self, db):
        return factories.publish_testimony(title="At the ends of time")

    def listed(self, client, **arguments) -> ET.Element:
        return oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)

    @pytest.mark.parametrize(
        "dates",
        [
            {"until": "9999-12-31"},
            {"until": "9999-12-31T23:59:59Z"},
            {"from": "0001-01-01", "until": "9999-12-31"},
            {"from": "10000-01-01"},
            {"until": "10000-01-01"},
            {"from": "+10000-01-01"},
            {"until": "10000-01-01T00:00:00Z"},
            {"from": "0000-12-31"},
            {"from": "2025-06-01", "until": "2025-05-31"},
            {"from": "2025-06-01T00:00:01Z", "until": "2025-06-01T00:00:00Z"},
            {"from": "9999-12-31", "until": "0001-01-01"},
            # Python reads ISO week dates and other digits; the protocol allows neither.
            {"from": "2025-W01-1"},
            {"from": "\uff12\uff10\uff12\uff15-01-01"},
        ],
    )
    def test_dates_past_either_end_or_out_of_order_are_bad_arguments(
        self, client, published, dates
    ):
        root = self.listed(client, **dates)
        assert error_code(root) == "badArgument"
        assert root.find(f"{OAI}request").attrib == {}

    @pytest.mark.parametrize(
        "dates",
        [
            {"from": "0001-01-01"},
            {"from": "0001-01-01T00:00:00Z"},
            {"until": "9999-12-30"},
            {"until": "9999-12-31T23:59:58Z"},
            {"from": "0001-01-01", "until": "9999-12-30"},
        ],
    )
    def test_the_first_and_last_dates_that_can_be_searched_find_the_record(
        self, client, published, dates
    ):
        root = self.listed(client, **dates)
        assert error_code(root) is None
        assert [e.text for e in root.iter(f"{OAI}identifier")] == [identifier(published)]

    @pytest.mark.parametrize("dates", [{"from": "9999-12-31"}, {"from": "9999-12-31T23:59:59Z"}])
    def test_a_start_at_the_end_of_the_calendar_matches_nothing(self, client, published, dates):
        assert error_code(self.listed(client, **dates)) == "noRecordsMatch"

    def test_the_well_formed_token_these_tests_alter_is_accepted(self, client, published):
        root = oai(client, verb="ListIdentifiers", resumptionToken=_signed(_GOOD))
        assert error_code(root) is None

    @pytest.mark.parametrize(
        "payload",
        [
            {**_GOOD, "a": {}},
            {**_GOOD, "a": {"from": "2020-01-01"}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "from": 5}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "from": None}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "until": ["2020-01-01"]}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "set": 7}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "set": {"slug": "x"}}},
            {**_GOOD, "a": {"metadataPrefix": ["oai_dc"]}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "verb": "GetRecord"}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "from": "yesterday"}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "until": "9999-12-31"}},
            {**_GOOD, "a": {"metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2020"}},
            {**_GOOD, "a": [["metadataPrefix", "oai_dc"]]},
            {**_GOOD, "a": "oai_dc"},
            {**_GOOD, "a": None},
            {**_GOOD, "v": 5},
            {**_GOOD, "v": None},
            {**_GOOD, "d": 5},
            {**_GOOD, "d": None},
            {**_GOOD, "d": "2020-01-01T00:00:00"},
            {**_GOOD, "d": "not a date"},
            {**_GOOD, "d": "0001-01-01T00:00:00+14:00"},
            {**_GOOD, "d": "9999-12-31T23:59:59-14:00"},
            {**_GOOD, "i": "1"},
            {**_GOOD, "i": 1.5},
            {**_GOOD, "i": True},
            {**_GOOD, "i": -1},
            {**_GOOD, "i": 2**70},
            {**_GOOD, "c": -1},
            {**_GOOD, "c": "0"},
            {**_GOOD, "c": 2**70},
            {**_GOOD, "extra": 1},
            {k: v for k, v in _GOOD.items() if k != "d"},
            [],
            "ListIdentifiers",
            None,
            5,
        ],
    )
    def test_a_signed_token_of_any_other_shape_is_a_bad_resumption_token(
        self, client, published, payload
    ):
        root = oai(client, verb="ListIdentifiers", resumptionToken=_signed(payload))
        assert error_code(root) == "badResumptionToken"
