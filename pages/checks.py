"""A deployment check: the contact address the archive publishes is one someone reads.

The contact page gives it to narrators who want an account withdrawn, and
OAI-PMH gives it to every library that harvests the archive. The default,
at a domain reserved for examples (RFC 2606), reaches no one.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
# Top-level names reserved for tests and documentation: never a real mailbox.
RESERVED_TOP_LEVEL = ("example", "invalid", "test", "localhost")


def is_placeholder(address: str) -> bool:
    domain = address.rpartition("@")[2].lower().rstrip(".")
    return (
        any(domain == d or domain.endswith(f".{d}") for d in PLACEHOLDER_DOMAINS)
        or domain.rpartition(".")[2] in RESERVED_TOP_LEVEL
    )


@register("archive", deploy=True)
def contact_email_is_real(app_configs, **kwargs) -> list[Error]:
    address = settings.ARCHIVE_CONTACT_EMAIL.strip()
    try:
        validate_email(address)
    except ValidationError:
        problem = "is empty" if not address else f"is not an e-mail address: {address!r}"
    else:
        if not is_placeholder(address):
            return []
        problem = f"is a placeholder: {address}"
    return [
        Error(
            f"ARCHIVE_CONTACT_EMAIL {problem}.",
            hint=(
                "Set ARCHIVE_CONTACT_EMAIL to a mailbox the archive's team reads: the contact "
                "page gives it to narrators who ask for withdrawal, and OAI-PMH to harvesters."
            ),
            id="pages.E001",
        )
    ]
