"""Log-in lockout (django-axes): whom failures count against, and the 429 page."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """The address failed log-ins are counted against: the rate limits' rule.

    Behind a proxy every request comes from the proxy's address, and one
    person's wrong passwords would lock every editor out; with API_NUM_PROXIES
    set, the address that many hops back in X-Forwarded-For counts instead.
    Without a proxy the header is ignored, so forging it buys no new attempts.
    """
    return BaseThrottle().get_ident(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class AccountLockoutHandler(AxesDatabaseHandler):
    """django-axes' handler, with a limit per account besides its limit per address.

    Counted per address alone, a guesser with many addresses has as many tries
    at one account as it has addresses. The account's failures are the ones
    axes already stores (one row per account, address and browser), summed
    over every address within the cool-off.
    """

    def account_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def account_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return self.account_failures(request, credentials) >= settings.ARCHIVE_ACCOUNT_FAILURE_LIMIT

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.account_locked(request, credentials)

    def user_login_failed(
        self, sender, credentials: dict, request: HttpRequest | None = None, **kwargs
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_whitelisted(request, credentials):
            return
        # The failure that reaches the account's limit already gets the 429 page,
        # as the one that reaches an address's limit does.
        if self.account_locked(request, credentials):
            # Attributes of axes' own, which HttpRequest does not declare.
            vars(request).update(axes_locked_out=True, axes_credentials=credentials)
