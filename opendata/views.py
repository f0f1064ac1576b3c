"""Open-data endpoints: the CSV twin of a search, OAI-PMH, robots.txt. Views parse, call, answer."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from archive.errors import BadQuery
from archive.throttling import ScopedThrottle
from opendata.exports import csv_text
from opendata.oai.verbs import Site, respond
from testimonies.search import matching_ids_from_query


class FirstRenderer(BaseContentNegotiation):
    """A file download answers in one format whatever the client accepts: its
    errors (a 429) come as JSON rather than a 406 for an Accept: text/csv."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


# A file download, documented in the README; the JSON API's schema describes JSON only.
@extend_schema(exclude=True)
class SearchCSV(APIView):
    """/testimonies/export.csv?<the search page's parameters>: the whole result as CSV.

    An APIView for its throttling only (scope "export", rate in settings):
    a CSV of the whole archive costs far more than a page.
    """

    throttle_classes = [ScopedThrottle]
    throttle_scope = "export"
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FirstRenderer

    def get(self, request: Request) -> StreamingHttpResponse:
        bom = request.query_params.get("bom", "0")
        if bom not in ("0", "1"):
            raise BadQuery("bom must be 1 (a byte-order mark for Excel) or 0.")
        ids = matching_ids_from_query(request.query_params)
        response = StreamingHttpResponse(
            csv_text(ids, absolute=request.build_absolute_uri, bom=bom == "1"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="testimonies.csv"'
        return response


def _site(request: HttpRequest) -> Site:
    name = settings.ARCHIVE_OAI_REPOSITORY_IDENTIFIER or split_domain_port(request.get_host())[0]
    return Site(
        base_url=request.build_absolute_uri(reverse("opendata:oai")),
        repository_identifier=name,
        absolute=request.build_absolute_uri,
    )


@csrf_exempt  # OAI-PMH allows POST from any harvester; nothing here writes.
@require_http_methods(["GET", "HEAD", "POST"])
def oai(request: HttpRequest) -> HttpResponse:
    arguments = request.POST if request.method == "POST" else request.GET
    return HttpResponse(
        respond(dict(arguments.lists()), site=_site(request)),
        content_type="text/xml; charset=utf-8",
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Twins of search pages: the same records, endlessly recombined.
        f"Disallow: {reverse('opendata:search_csv')}",
        f"Disallow: {reverse('opendata:search_feed')}",
        # The law-in-practice files follow the search's filters: unfiltered they
        # are open data worth finding, filtered they are the same twins again.
        # RFC 9309's '*' matches any law and clause.
        f"Disallow: {reverse('laws:law_list')}*practice.csv?",
        f"Sitemap: {request.build_absolute_uri(reverse('opendata:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
