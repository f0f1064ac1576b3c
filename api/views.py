"""The read-only JSON API. Views parse, call a selector or the search, serialise.

Every read goes through ``testimonies.selectors`` (published records only) or
``testimonies.search.search_from_query``, the code path of the HTML search,
so the API can show nothing the public pages do not.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from archive.pagination import MAX_PAGE_DIGITS, paginate
from laws import identifiers, versions
from laws import selectors as law_selectors
from laws.models import Clause, Law
from testimonies import law_in_time, selectors
from testimonies.models import Authority, Outcome, RaidIncident, ViolationType
from testimonies.search import (
    FACETS,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    SINGLE_VALUED_FIELDS,
    YEAR_MAX,
    YEAR_MIN,
    Sort,
    search_from_query,
)
from testimonies.vocabulary import Province, WorkSetting

PUBLIC_ID = {"T": r"T-[0-9]{1,10}", "R": r"R-[0-9]{1,10}"}
SLUG = identifiers.SLUG_PATTERN
YEAR = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "The request cannot be answered (a bad parameter, a NUL byte); `detail` says why.",
        404: "No published record there.",
        429: "Too many requests; retry after the `Retry-After` header's seconds.",
    }
    return {
        code: OpenApiResponse(s.ErrorSerializer, description=descriptions[code]) for code in codes
    }


def _path(name: str, regex: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, pattern=f"^{regex}$")


def _list(serializer_class) -> dict:
    return {200: serializer_class(many=True), **_errors(400, 429)}


class ArchivePagination(PageNumberPagination):
    """DRF's page links, with the site's page parsing: a bad page number is a 400."""

    page_size = settings.ARCHIVE_PAGE_SIZE

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        self.page = paginate(request, queryset, per_page=self.page_size)
        return list(self.page)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "From 1; a page past the last is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 10**MAX_PAGE_DIGITS - 1},
            }
        ]


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter, with a refused filter answered like every other 400: ``{"detail"}``."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ParseError(
                " ".join(
                    f"{name}: {message}"
                    for name, messages in filterset.errors.items()
                    for message in messages
                )
            )
        return filterset.qs


class ApiView:
    # What every endpoint shares (a comment, so it is not every operation's description).
    throttle_scope = "api"


class ListView(ApiView, generics.ListAPIView):
    pagination_class = ArchivePagination
    filter_backends = [FilterBackend]
    model: type[models.Model]  # what the schema describes

    def get_queryset(self) -> models.QuerySet:
        # The schema (and the deploy check, which builds it) needs only the model:
        # the records' counts read the facet columns, which need a database.
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.records()

    def records(self) -> models.QuerySet:
        raise NotImplementedError


# --- Testimonies ------------------------------------------------------------------------


def _search_parameters() -> list[OpenApiParameter]:
    """The search page's query string, documented: every facet is a repeatable parameter."""
    many_valued_help = {
        "violation": "Violation type code (see /api/violation-types/).",
        "law": "Law slug (see /api/laws/).",
        "clause": "Clause code <law-slug>:<clause-slug> (the `code` of /api/clauses/).",
        "authority": "Authority present at a raid the testimony recounts, e.g. police.",
    }
    parameters = [
        OpenApiParameter(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description=(
                'Words; "exact phrase", OR, -excluded (or NOT excluded), AND. Thai is segmented.'
            ),
        ),
        OpenApiParameter(
            "sort",
            str,
            enum=[code for code, _label in Sort.CHOICES],
            description="Relevance when there are words, newest otherwise.",
        ),
        OpenApiParameter(
            "page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, description="From 1."
        ),
        OpenApiParameter("year_from", YEAR, description="Year of events, from."),
        OpenApiParameter("year_to", YEAR, description="Year of events, to."),
        OpenApiParameter(
            "expand",
            {"type": "array", "items": {"type": "string", "enum": [f.name for f in FACETS]}},
            description="Facets to list in full (the HTML page folds long ones).",
        ),
    ]
    for facet in FACETS:
        choices = SINGLE_VALUED_FIELDS.get(facet.name)
        items: dict[str, object] = {"type": "string"}
        if choices is not None:
            items["enum"] = [code for code, _label in choices.choices]
        parameters.append(
            OpenApiParameter(
                facet.name,
                {"type": "array", "items": items},
                description=f"{facet.label}; repeat to select several (OR-ed). "
                + many_valued_help.get(facet.name, ""),
            )
        )
    return parameters


class TestimonySearchView(ApiView, APIView):
    @extend_schema(
        operation_id="testimonies_search",
        summary="Search published testimonies",
        description=(
            "The faceted full-text search of /testimonies/, with the same parameters and "
            "the same answers: values of one facet are OR-ed, facets are AND-ed, and each "
            "facet's counts are computed with the other facets applied."
        ),
        parameters=_search_parameters(),
        responses={200: s.SearchResultSerializer, **_errors(400, 429)},
    )
    def get(self, request: Request) -> Response:
        result = search_from_query(request.query_params)
        return Response(s.SearchResultSerializer(result, context={"request": request}).data)


class TestimonyDetailView(ApiView, APIView):
    @extend_schema(
        operation_id="testimonies_retrieve",
        summary="One published testimony, as it reads now",
        parameters=[_path("public_id", PUBLIC_ID["T"])],
        responses={
            200: s.TestimonyDetailSerializer,
            410: OpenApiResponse(s.GoneSerializer, description="Withdrawn by its narrator."),
            **_errors(400, 404, 429),
        },
    )
    def get(self, request: Request, public_id: str) -> Response:
        page = selectors.testimony_page(public_id=public_id)
        links = list(page.testimony.clause_links.all())
        context = {
            "request": request,
            "readings": {
                item.link.pk: item.reading
                for item in law_in_time.read_links(testimony=page.testimony, links=links)
            },
            "clauses_by_pk": {link.clause_id: link.clause for link in links},
        }
        return Response(s.TestimonyDetailSerializer(page, context=context).data)


# --- Incidents --------------------------------------------------------------------------


class IntegerFilter(filters.NumberFilter):
    # A year lookup needs an int: NumberFilter's Decimal would fail inside the database layer.
    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.STR)  # each value; the schema makes the array itself
class SlugFilter(filters.ModelMultipleChoiceFilter):
    """Vocabulary entries by slug; repeat the parameter for any of several."""


class IncidentFilter(filters.FilterSet):
    province = filters.MultipleChoiceFilter(choices=Province.choices)
    venue_type = filters.MultipleChoiceFilter(choices=WorkSetting.choices)
    authority = SlugFilter(
        field_name="authorities__slug",
        to_field_name="slug",
        queryset=Authority.objects.all(),
        help_text="Authority present (slug); repeat for any of several.",
    )
    outcome = SlugFilter(
        field_name="outcomes__slug",
        to_field_name="slug",
        queryset=Outcome.objects.all(),
        help_text="Outcome for those taken (slug); repeat for any of several.",
    )
    year = IntegerFilter(
        field_name="date__year",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text="Year of the raid.",
    )


class IncidentListView(ListView):
    model = RaidIncident
    serializer_class = s.IncidentSerializer
    filterset_class = IncidentFilter

    def records(self):
        # Filtering on several authorities or outcomes would repeat an incident.
        return selectors.incidents_with_links().distinct()

    @extend_schema(
        summary="Published raid incidents, latest first", responses=_list(s.IncidentSerializer)
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class IncidentDetailView(ApiView, APIView):
    @extend_schema(
        operation_id="incidents_retrieve",
        summary="One published raid incident",
        parameters=[_path("public_id", PUBLIC_ID["R"])],
        responses={200: s.IncidentSerializer, **_errors(400, 404, 429)},
    )
    def get(self, request: Request, public_id: str) -> Response:
        incident = selectors.incident_detail(public_id=public_id)
        return Response(s.IncidentSerializer(incident, context={"request": request}).data)


# --- Laws and clauses ------------------------------------------------------------------


class LawFilter(filters.FilterSet):
    jurisdiction = filters.ChoiceFilter(choices=Law.Jurisdiction.choices)
    kind = filters.MultipleChoiceFilter(choices=Law.Kind.choices)


class LawListView(ListView):
    model = Law
    serializer_class = s.LawSerializer
    filterset_class = LawFilter

    def records(self):
        return law_selectors.laws_with_counts()

    @extend_schema(summary="Laws, Thai and international", responses=_list(s.LawSerializer))
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


def _moved(request: Request, view_name: str, **kwargs: str) -> HttpResponsePermanentRedirect:
    """301 from a former slug to the record's API address today, keeping the query."""
    url = reverse(view_name, kwargs=kwargs)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class LawDetailView(ApiView, APIView):
    @extend_schema(
        operation_id="laws_retrieve",
        summary="One law, with its clauses",
        description="A former slug answers 301 to the law's address today.",
        parameters=[_path("law_slug", SLUG)],
        responses={200: s.LawDetailSerializer, **_errors(400, 404, 429)},
    )
    def get(self, request: Request, law_slug: str) -> Response:
        law = law_selectors.law_by_slug(slug=law_slug)
        if law.slug != law_slug:
            return _moved(request, "api:law-detail", law_slug=law.slug)
        law = law_selectors.laws_with_counts().get(pk=law.pk)
        clauses = law_selectors.clauses_with_counts(law=law).select_related("parent__law")
        context = {
            "request": request,
            "clauses": clauses,
            "amendments": versions.law_amendments(law),
        }
        return Response(s.LawDetailSerializer(law, context=context).data)


class ClauseFilter(filters.FilterSet):
    law = filters.CharFilter(field_name="law__slug", help_text="The law's slug.")


class ClauseListView(ListView):
    model = Clause
    serializer_class = s.ClauseSerializer
    filterset_class = ClauseFilter

    def records(self):
        return (
            law_selectors.clauses_with_testimony_counts()
            .select_related("parent__law")
            .order_by("law__order", "law__short_name", "order", "id")
        )

    @extend_schema(summary="Clauses of every law", responses=_list(s.ClauseSerializer))
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ClauseDetailView(ApiView, APIView):
    @extend_schema(
        operation_id="clauses_retrieve",
        summary="One clause, with the published testimonies and incidents concerning it",
        description=(
            f"`testimonies` lists the first {selectors.CLAUSE_LINKS_SHOWN} links; "
            "`testimony_count` counts every published testimony concerning the clause, and "
            "`testimonies_api_url` finds them all. `incidents` lists the "
            f"{selectors.CLAUSE_INCIDENTS_SHOWN} most recent incidents where it was invoked, "
            "and `incident_count` counts them all. Former law or clause slugs answer 301 to "
            "the clause's address today."
        ),
        parameters=[
            _path("law_slug", SLUG),
            _path("clause_slug", SLUG),
        ],
        responses={200: s.ClauseDetailSerializer, **_errors(400, 404, 429)},
    )
    def get(self, request: Request, law_slug: str, clause_slug: str) -> Response:
        clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
        if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
            return _moved(
                request, "api:clause-detail", law_slug=clause.law.slug, clause_slug=clause.slug
            )
        clause = (
            law_selectors.clauses_with_testimony_counts()
            .select_related("parent__law")
            .get(pk=clause.pk)
        )
        first = selectors.clause_first_links(clause=clause)
        incidents = selectors.clause_first_incidents(clause=clause)
        history = versions.clause_versions(clause)
        context = {
            "request": request,
            "children": law_selectors.related_clauses(clause=clause).children,
            "links": first.rows,
            "more_links": first.more,
            "incidents": incidents.rows,
            "more_incidents": incidents.more,
            "incident_count": incidents.total,
            "violation_types": clause.violation_types.all(),
            "versions": history,
            "current_version": versions.current_version(history),
            "clauses_by_pk": {clause.pk: clause},
        }
        return Response(s.ClauseDetailSerializer(clause, context=context).data)


# --- Violation types -------------------------------------------------------------------


class ViolationTypeFilter(filters.FilterSet):
    # A choice rather than BooleanFilter, which reads "null" or "maybe" as no filter at all.
    is_control = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_is_control",
        help_text="true: tags marking real exploitation; false: harms done by policy.",
    )

    def filter_is_control(self, queryset, name: str, value: str):
        return queryset.filter(is_control=value == "true")


class ViolationTypeListView(ListView):
    model = ViolationType
    serializer_class = s.ViolationTypeSerializer
    filterset_class = ViolationTypeFilter

    def records(self):
        return selectors.violation_types_with_counts()

    @extend_schema(summary="The violation vocabulary", responses=_list(s.ViolationTypeSerializer))
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ViolationTypeDetailView(ApiView, APIView):
    @extend_schema(
        operation_id="violation_types_retrieve",
        summary="One violation type",
        parameters=[_path("code", SLUG)],
        responses={200: s.ViolationTypeSerializer, **_errors(400, 404, 429)},
    )
    def get(self, request: Request, code: str) -> Response:
        violation_type = selectors.violation_types_with_counts().filter(slug=code).first()
        if violation_type is None:
            raise exceptions.NotFound("No violation type with that code.")
        return Response(
            s.ViolationTypeSerializer(violation_type, context={"request": request}).data
        )


# --- Schema and documentation ----------------------------------------------------------


class SchemaView(ApiView, SpectacularAPIView):
    pass


class DocsView(ApiView, SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its start-up script a separate request.

    The site's Content-Security-Policy allows no inline script or style; the
    stock template has both, so ``api/docs.html`` replaces it.
    """

    template_name = "api/docs.html"
    url_name = "api:schema"
