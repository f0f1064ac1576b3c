"""Pagination that answers a bad page number with a clear 400, not a 500."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext

from archive.errors import BadQuery

MAX_PAGE_DIGITS = 7


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int) -> Page:
    raw = request.GET.get("page", "1").strip() or "1"
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        raise BadQuery(gettext("The page number must be a whole number from 1 upwards."))
    paginator = Paginator(queryset, per_page)
    number = int(raw)
    if number > paginator.num_pages:
        raise BadQuery(
            gettext("There is no page %(number)s: the list has %(pages)s page(s).")
            % {"number": number, "pages": paginator.num_pages}
        )
    return paginator.page(number)
