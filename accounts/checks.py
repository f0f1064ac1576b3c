"""A deployment check: the admin never runs without two-factor authentication."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def admin_requires_two_factor(app_configs, **kwargs) -> list[Error]:
    if settings.ADMIN_REQUIRE_2FA:
        return []
    return [
        Error(
            "The admin accepts staff without a one-time code.",
            hint="ADMIN_2FA_OPTIONAL is for local development only; unset it.",
            id="accounts.E001",
        )
    ]
