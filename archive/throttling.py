"""Rate limits per client: one scope per kind of traffic (the API, CSV exports), rates from
the settings."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ScopedThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, reading the rates when a request comes in.

    DRF copies DEFAULT_THROTTLE_RATES into a class attribute when its
    throttling module is imported, so a rate changed afterwards (a test's
    override_settings, above all) would silently keep the old value.
    ``api_settings`` is reloaded whenever REST_FRAMEWORK changes.
    """

    @property
    def THROTTLE_RATES(self) -> dict[str, str]:  # the name DRF reads
        return api_settings.DEFAULT_THROTTLE_RATES
