"""The reader's language: Django's middleware, with the switcher's cookie declared."""

from django.http import HttpRequest, HttpResponse
from django.middleware import locale
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, also telling shared caches the cookie picks the language.

    Django adds ``Vary: Accept-Language`` only; a proxy that honoured just that
    would hand a Thai page to an English reader whose browser sends the same
    header but whose switcher cookie says otherwise.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response
