"""check --deploy refuses a contact address that reaches no one."""

import pytest
from django.core.checks import run_checks

from pages.checks import contact_email_is_real


def errors(settings, address: str) -> list[str]:
    settings.ARCHIVE_CONTACT_EMAIL = address
    return [error.id for error in contact_email_is_real(None)]


class ContactAddressCheckTests:
    @pytest.mark.parametrize(
        "address",
        [
            "archive@example.org",
            "ARCHIVE@EXAMPLE.COM",
            "team@mail.example.net",
            "me@archive.example",
            "me@archive.test",
            "",
            "   ",
            "not an address",
            "archive@",
        ],
    )
    def test_placeholders_empty_and_malformed_addresses_fail(self, settings, address):
        assert errors(settings, address) == ["pages.E001"]

    @pytest.mark.parametrize(
        "address", ["editors@thai-testimony-archive.org", "a@examples.org", "x@example.org.th"]
    )
    def test_a_real_looking_address_passes(self, settings, address):
        assert errors(settings, address) == []

    def test_it_runs_only_for_deployment(self, settings):
        settings.ARCHIVE_CONTACT_EMAIL = "archive@example.org"
        assert [e.id for e in run_checks(tags=["archive"])] == []
        deploy = run_checks(tags=["archive"], include_deployment_checks=True)
        assert [e.id for e in deploy] == ["pages.E001"]
