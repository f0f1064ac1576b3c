"""Log-in lockout (django-axes): whom failures count against, and the 429 page."""

from axes.helpers import get_cool_off
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
