"""Errors a reader's input can cause, answered with a plain 400 page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class BadQuery(Exception):
    """The query string cannot be answered; the message is shown to the reader."""


class BadQueryMiddleware:
    """Turns ``BadQuery`` raised by any public view into a 400 page with its message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadQuery):
            return render(request, "400.html", {"message": str(exception)}, status=400)
        return None
