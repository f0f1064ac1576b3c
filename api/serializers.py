"""How records look in the API: public fields only, each record with its permalink.

Every record carries ``url``, the absolute address of its public page, and
``api_url``, its address in this API. Nested lists (a clause's testimonies,
an incident's testimonies) come from the selectors, which return published
records only; nothing here reads a queryset of its own.
"""

from html import unescape

from django.db.models import TextChoices
from django.urls import reverse as django_reverse
from django.utils.html import strip_tags
from django.utils.translation import override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from archive.bilingual import BilingualLabel
from laws.identifiers import clause_code
from laws.models import Amendment, Clause, InForcePrecision, Law
from testimonies.models import ClauseRelation
from testimonies.selectors import CLAUSE_INCIDENTS_SHOWN, CLAUSE_LINKS_SHOWN
from testimonies.vocabulary import (
    AgeGroup,
    DatePrecision,
    Language,
    Nationality,
    Perpetrator,
    Province,
    WorkSetting,
)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


class TermSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code, as used in search parameters.")
    label = serializers.CharField(help_text="Name shown to readers.")


@extend_schema_field(TermSerializer)
class TermField(serializers.Field):
    """A coded value with its label: ``{"code": "tak", "label": "Tak"}``."""

    def __init__(self, choices: type[TextChoices], **kwargs) -> None:
        self.labels = {code: str(label) for code, label in choices.choices}
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> dict[str, str]:
        return {"code": value, "label": self.labels.get(value, value)}


@extend_schema_field(OpenApiTypes.URI)
class PermalinkField(serializers.Field):
    """The absolute address of the record's public page."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return _absolute(self.context["request"], record.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiLinkField(serializers.Field):
    """The absolute address of a record in this API, from the view name and the record."""

    def __init__(self, view_name: str, kwargs_of, **kwargs) -> None:
        self.view_name, self.kwargs_of = view_name, kwargs_of
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return reverse(
            self.view_name, kwargs=self.kwargs_of(record), request=self.context["request"]
        )


def _search_link(request, name: str, value: str) -> str:
    """The API search narrowed to one facet value: every published testimony having it."""
    path = reverse("api:testimony-list")
    return _absolute(request, f"{path}?{name}={value}")


def testimony_api_link() -> ApiLinkField:
    return ApiLinkField("api:testimony-detail", lambda t: {"public_id": t.public_id})


def incident_api_link() -> ApiLinkField:
    return ApiLinkField("api:incident-detail", lambda i: {"public_id": i.public_id})


def law_api_link() -> ApiLinkField:
    return ApiLinkField("api:law-detail", lambda law: {"law_slug": law.slug})


def clause_api_link() -> ApiLinkField:
    return ApiLinkField(
        "api:clause-detail", lambda c: {"law_slug": c.law.slug, "clause_slug": c.slug}
    )


def violation_type_api_link() -> ApiLinkField:
    return ApiLinkField("api:violation-type-detail", lambda v: {"code": v.slug})


# --- References: what a nested record shows --------------------------------------


class TestimonyRefSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    title = serializers.CharField()
    url = PermalinkField()
    api_url = testimony_api_link()


class IncidentRefSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    title = serializers.CharField()
    date_display = serializers.CharField(help_text="The date as precisely as it is known.")
    url = PermalinkField()
    api_url = incident_api_link()


class LawRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    short_name = serializers.CharField()
    short_name_th = serializers.CharField(
        help_text="The short name in Thai; empty where none is written yet."
    )
    url = PermalinkField()
    api_url = law_api_link()


class ClauseRefSerializer(serializers.Serializer):
    law = serializers.CharField(source="law.slug", help_text="The law's slug.")
    slug = serializers.CharField()
    code = serializers.SerializerMethodField(help_text="The clause's code in the search facet.")
    number = serializers.CharField()
    heading = serializers.CharField()
    heading_th = serializers.CharField(
        help_text="The heading in Thai; empty where none is written yet."
    )
    citation = serializers.CharField()
    url = PermalinkField()
    api_url = clause_api_link()

    def get_code(self, clause: Clause) -> str:
        return clause_code(clause.law.slug, clause.slug)


class ViolationTypeRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="slug")
    label = serializers.CharField()
    label_th = serializers.CharField(
        help_text="The label in Thai; empty where none is written yet."
    )
    api_url = violation_type_api_link()


class ViolationSerializer(serializers.Serializer):
    type = ViolationTypeRefSerializer(source="violation_type")
    perpetrator = TermField(Perpetrator)
    note = serializers.CharField()


class VocabularySerializer(serializers.Serializer):
    code = serializers.CharField(source="slug")
    label = serializers.CharField(source="name")
    label_th = serializers.CharField(
        source="name_th", help_text="The label in Thai; empty where none is written yet."
    )


# --- Laws and clauses ----------------------------------------------------------------


class LawSerializer(serializers.Serializer):
    slug = serializers.CharField()
    short_name = serializers.CharField()
    short_name_th = serializers.CharField(
        help_text="The short name in Thai; empty where none is written yet."
    )
    title_en = serializers.CharField()
    title_th = serializers.CharField(
        help_text="The full title in Thai; empty where none is written yet."
    )
    jurisdiction = TermField(Law.Jurisdiction)
    kind = TermField(Law.Kind)
    year = serializers.IntegerField(help_text="Year of adoption (CE).")
    year_be = serializers.IntegerField(allow_null=True, help_text="Buddhist Era year, Thai laws.")
    source_url = serializers.CharField()
    summary = serializers.CharField()
    summary_th = serializers.CharField(
        help_text="The summary in Thai; empty where none is written yet."
    )
    ratification_status = TermField(Law.Ratification)
    ratification_date = serializers.DateField(allow_null=True)
    binding_in_2012 = serializers.BooleanField()
    clause_count = serializers.IntegerField()
    testimony_count = serializers.IntegerField(help_text="Published testimonies linked to it.")
    url = PermalinkField()
    api_url = law_api_link()
    testimonies_api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_testimonies_api_url(self, law: Law) -> str:
        return _search_link(self.context["request"], "law", law.slug)


class ClauseSerializer(serializers.Serializer):
    law: LawRefSerializer | None = LawRefSerializer()  # None drops it (ClauseInLawSerializer)
    slug = serializers.CharField()
    code = serializers.SerializerMethodField(help_text="The clause's code in the search facet.")
    number = serializers.CharField()
    heading = serializers.CharField()
    heading_th = serializers.CharField(
        help_text="The heading in Thai; empty where none is written yet."
    )
    citation = serializers.CharField()
    parent = ClauseRefSerializer(allow_null=True)
    summary = serializers.CharField()
    summary_th = serializers.CharField(
        help_text="The summary in Thai; empty where none is written yet."
    )
    official_text = serializers.CharField()
    official_text_source = serializers.CharField()
    testimony_count = serializers.IntegerField(help_text="Published testimonies linked to it.")
    url = PermalinkField()
    api_url = clause_api_link()
    testimonies_api_url = serializers.SerializerMethodField(
        help_text="The testimony search narrowed to this clause: every published testimony "
        "linked to it, a page at a time."
    )

    def get_code(self, clause: Clause) -> str:
        return clause_code(clause.law.slug, clause.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_testimonies_api_url(self, clause: Clause) -> str:
        return _search_link(self.context["request"], "clause", self.get_code(clause))


class ClauseInLawSerializer(ClauseSerializer):
    law = None  # the enclosing law says it


class AmendmentSerializer(serializers.Serializer):
    """An instrument that made or changed the law's text, as the law page lists it."""

    slug = serializers.CharField(help_text="Stable name within the law, e.g. 'no-14-1997'.")
    kind = TermField(Amendment.Kind)
    name = serializers.CharField()
    name_th = serializers.CharField(help_text="The name in Thai; empty where none is written yet.")
    gazette_reference = serializers.CharField(
        help_text="The Royal Gazette reference, or the treaty act; empty where not verified."
    )
    in_force_from = serializers.DateField(help_text="The day it came into force.")
    in_force_precision = TermField(
        InForcePrecision,
        help_text="How much of `in_force_from` is known: day, month or year (the rest is "
        "the first day of the month or year).",
    )
    source_url = serializers.CharField()


class LawDetailSerializer(LawSerializer):
    amendments = serializers.SerializerMethodField(
        help_text="The instruments that made or changed its text, oldest first."
    )
    clauses = serializers.SerializerMethodField()

    @extend_schema_field(AmendmentSerializer(many=True))
    def get_amendments(self, law: Law) -> list:
        return AmendmentSerializer(self.context["amendments"], many=True).data

    @extend_schema_field(ClauseInLawSerializer(many=True))
    def get_clauses(self, law: Law) -> list:
        return ClauseInLawSerializer(self.context["clauses"], many=True, context=self.context).data


class ClauseVersionRefSerializer(serializers.Serializer):
    """Which version of a clause: when it came into force and the instrument that made it."""

    valid_from = serializers.DateField(help_text="The first day this text was in force.")
    valid_to = serializers.DateField(
        source="last_day",
        allow_null=True,
        help_text="The last day it was in force; null while it is in force today.",
    )
    precision = serializers.CharField(
        help_text="How much of `valid_from` is known: day, month or year (the rest is the "
        "first of the month or year)."
    )
    instrument = serializers.CharField(help_text="The instrument that made this text.")
    instrument_th = serializers.CharField(help_text="Its Thai name, where recorded.")
    instrument_kind = serializers.CharField(
        help_text="enactment (the law as first made), act, decree, ruling or treaty."
    )
    gazette_reference = serializers.CharField(
        help_text="Where it was published (Royal Gazette or treaty act); empty if not verified."
    )
    wording_known = serializers.BooleanField(
        help_text="False where the archive does not hold this version's wording."
    )
    url = serializers.SerializerMethodField(help_text="The clause's page as of `valid_from`.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version) -> str:
        clause = self.context["clauses_by_pk"][version.clause_id]
        path = django_reverse(
            "laws:clause_as_at",
            kwargs={
                "law_slug": clause.law.slug,
                "clause_slug": clause.slug,
                "as_at": version.valid_from.isoformat(),
            },
        )
        return _absolute(self.context["request"], path)


class ClauseVersionSerializer(ClauseVersionRefSerializer):
    """A version of a clause with its text."""

    summary = serializers.CharField(source="summary_en")
    summary_th = serializers.CharField()
    official_text = serializers.CharField()
    official_text_source = serializers.CharField()


class TestimonyLinkSerializer(serializers.Serializer):
    """A published testimony's link to a clause, seen from the clause."""

    testimony = TestimonyRefSerializer()
    relation = TermField(ClauseRelation)
    note = serializers.CharField()
    note_th = serializers.CharField(
        help_text="The editors' note in Thai; empty where none is written yet."
    )
    paragraph = serializers.IntegerField(allow_null=True)


class ClauseDetailSerializer(ClauseSerializer):
    """A clause with what its page lists; the view passes those lists in the context.

    They come from the selectors (published records only), never from the
    clause's own related managers, which would include drafts.
    """

    children = serializers.SerializerMethodField()
    testimonies = serializers.SerializerMethodField(
        help_text=f"Links from published testimonies, the first {CLAUSE_LINKS_SHOWN} by "
        "public id; `testimonies_api_url` finds every testimony."
    )
    more_testimonies = serializers.SerializerMethodField(
        help_text="More links exist than `testimonies` lists."
    )
    incidents = serializers.SerializerMethodField(
        help_text=f"Published incidents where it was invoked, the {CLAUSE_INCIDENTS_SHOWN} "
        "most recent."
    )
    more_incidents = serializers.SerializerMethodField(
        help_text="More incidents exist than `incidents` lists."
    )
    incident_count = serializers.SerializerMethodField(
        help_text="Published incidents where it was invoked, all of them."
    )
    violation_types = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField(
        help_text="Every version of the clause, oldest first; `current_version` is the one "
        "in force today. /laws/<law>/<clause>/@YYYY-MM-DD/ shows the text on any day."
    )
    current_version = serializers.SerializerMethodField()

    @extend_schema_field(ClauseVersionSerializer(many=True))
    def get_versions(self, clause: Clause) -> list:
        return self._nested(ClauseVersionSerializer, "versions")

    @extend_schema_field(ClauseVersionSerializer)
    def get_current_version(self, clause: Clause) -> dict:
        return ClauseVersionSerializer(self.context["current_version"], context=self.context).data

    def _nested(self, serializer_class, key: str) -> list:
        return serializer_class(self.context[key], many=True, context=self.context).data

    @extend_schema_field(ClauseRefSerializer(many=True))
    def get_children(self, clause: Clause) -> list:
        return self._nested(ClauseRefSerializer, "children")

    @extend_schema_field(TestimonyLinkSerializer(many=True))
    def get_testimonies(self, clause: Clause) -> list:
        return self._nested(TestimonyLinkSerializer, "links")

    def get_more_testimonies(self, clause: Clause) -> bool:
        return self.context["more_links"]

    @extend_schema_field(IncidentRefSerializer(many=True))
    def get_incidents(self, clause: Clause) -> list:
        return self._nested(IncidentRefSerializer, "incidents")

    def get_more_incidents(self, clause: Clause) -> bool:
        return self.context["more_incidents"]

    def get_incident_count(self, clause: Clause) -> int:
        return self.context["incident_count"]

    @extend_schema_field(ViolationTypeRefSerializer(many=True))
    def get_violation_types(self, clause: Clause) -> list:
        return self._nested(ViolationTypeRefSerializer, "violation_types")


# --- Incidents and violation types --------------------------------------------------


class IncidentSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField(help_text="First day of the known period if imprecise.")
    date_precision = TermField(DatePrecision)
    date_display = serializers.CharField()
    province = TermField(Province)
    venue_type = TermField(WorkSetting)
    authorities = VocabularySerializer(many=True, help_text="Who was present at the raid.")
    people_taken = serializers.IntegerField(allow_null=True)
    outcomes = VocabularySerializer(many=True, help_text="What happened to those taken.")
    clauses_invoked = ClauseRefSerializer(many=True)
    description = serializers.CharField()
    is_sample = serializers.BooleanField(help_text="An illustrative sample, not a real raid.")
    testimonies = TestimonyRefSerializer(many=True, help_text="Published testimonies only.")
    violations = ViolationSerializer(many=True)
    first_published_at = serializers.DateTimeField()
    url = PermalinkField()
    api_url = incident_api_link()


class ViolationTypeSerializer(serializers.Serializer):
    code = serializers.CharField(source="slug")
    label = serializers.CharField()
    label_th = serializers.CharField(
        help_text="The label in Thai; empty where none is written yet."
    )
    scope_note = serializers.CharField()
    scope_note_th = serializers.CharField(
        help_text="The scope note in Thai; empty where none is written yet."
    )
    is_control = serializers.BooleanField(
        help_text="Marks real exploitation rather than a harm done by policy."
    )
    clauses = ClauseRefSerializer(many=True, help_text="The clauses whose rights it engages.")
    testimony_count = serializers.IntegerField(help_text="Published testimonies describing it.")
    api_url = violation_type_api_link()
    testimonies_api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_testimonies_api_url(self, violation_type) -> str:
        return _search_link(self.context["request"], "violation", violation_type.slug)


# --- Testimonies -------------------------------------------------------------------


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    correction_note = serializers.CharField()
    text_withheld = serializers.SerializerMethodField(
        help_text="Part of the text was withheld later, at the narrator's request."
    )
    redacted_later = serializers.SerializerMethodField(
        help_text="Details that could identify someone were withheld after publication."
    )
    url = serializers.SerializerMethodField(help_text="The permanent address of this version.")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_text_withheld(self, version) -> bool:
        return version.withheld_at is not None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_redacted_later(self, version) -> bool:
        return version.redacted_at is not None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version) -> str:
        path = django_reverse(
            "testimonies:testimony_version",
            kwargs={"public_id": version.testimony.public_id, "number": version.number},
        )
        return _absolute(self.context["request"], path)


class ClauseLinkSerializer(serializers.Serializer):
    """A testimony's link to a clause, seen from the testimony, read in time.

    The view passes each link's reading (``laws.versions.Reading``) in the
    context, keyed by the link's id.
    """

    clause = ClauseRefSerializer()
    relation = TermField(ClauseRelation)
    note = serializers.CharField()
    note_th = serializers.CharField(
        help_text="The editors' note in Thai; empty where none is written yet."
    )
    paragraph = serializers.IntegerField(
        allow_null=True, help_text="The paragraph (#p<n>) the link concerns, if one."
    )
    version = serializers.SerializerMethodField(
        help_text="The version of the clause the account is read against: the one in force "
        "when its events began (their year, or the dates of the raids it recounts). Null if "
        "the clause was not in force then."
    )
    straddles_amendment = serializers.SerializerMethodField(
        help_text="The events span the entry into force of another version."
    )
    versions_during = serializers.SerializerMethodField(
        help_text="The other versions in force at some point of the events."
    )
    amended_since = serializers.SerializerMethodField(
        help_text="Versions that came into force after the events."
    )

    def _reading(self, link):
        return self.context["readings"][link.pk]

    def _versions(self, versions) -> list:
        return ClauseVersionRefSerializer(versions, many=True, context=self.context).data

    @extend_schema_field(ClauseVersionRefSerializer(allow_null=True))
    def get_version(self, link) -> dict | None:
        applies = self._reading(link).applies
        return ClauseVersionRefSerializer(applies, context=self.context).data if applies else None

    def get_straddles_amendment(self, link) -> bool:
        return self._reading(link).straddles

    @extend_schema_field(ClauseVersionRefSerializer(many=True))
    def get_versions_during(self, link) -> list:
        return self._versions(self._reading(link).during)

    @extend_schema_field(ClauseVersionRefSerializer(many=True))
    def get_amended_since(self, link) -> list:
        return self._versions(self._reading(link).later)


class TestimonyDetailSerializer(serializers.Serializer):
    """A published testimony as its page shows it, from a ``selectors.TestimonyPage``."""

    public_id = serializers.CharField(source="testimony.public_id")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="text.number", allow_null=True)
    title = serializers.CharField(source="text.title")
    narrator_pseudonym = serializers.CharField(source="text.narrator_pseudonym")
    nationality = TermField(Nationality, source="testimony.nationality")
    age_group = TermField(AgeGroup, source="testimony.age_group")
    work_setting = TermField(WorkSetting, source="testimony.work_setting")
    province = TermField(Province, source="testimony.province")
    year_of_events = serializers.IntegerField(source="testimony.year_of_events")
    date_recorded = serializers.DateField(source="testimony.date_recorded", allow_null=True)
    language = TermField(Language, source="testimony.language")
    source = serializers.CharField(source="testimony.source")
    is_sample = serializers.BooleanField(
        source="testimony.is_sample", help_text="An illustrative sample, not a real person's."
    )
    content_note = serializers.CharField(source="testimony.content_note")
    summary = serializers.CharField(source="text.summary")
    paragraphs = serializers.ListField(
        child=serializers.CharField(),
        source="text.paragraphs",
        help_text="The text; paragraph n is cited as <url>#p<n>.",
    )
    first_published_at = serializers.DateTimeField(
        source="testimony.first_published_at", allow_null=True
    )
    published_at = serializers.DateTimeField(source="text.published_at", allow_null=True)
    correction_note = serializers.CharField(source="text.correction_note")
    clauses = ClauseLinkSerializer(many=True, source="testimony.clause_links.all")
    violations = ViolationSerializer(many=True, source="testimony.violations.all")
    incidents = IncidentRefSerializer(many=True, source="testimony.incidents.all")
    versions = VersionSerializer(many=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page) -> str:
        return _absolute(self.context["request"], page.testimony.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, page) -> str:
        return reverse(
            "api:testimony-detail",
            kwargs={"public_id": page.testimony.public_id},
            request=self.context["request"],
        )


class GoneSerializer(serializers.Serializer):
    detail = serializers.CharField()
    public_id = serializers.CharField()
    withdrawn = serializers.CharField(allow_null=True, help_text="Month of withdrawal, YYYY-MM.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was wrong, in a sentence.")


# --- Search ------------------------------------------------------------------------


class SnippetSerializer(serializers.Serializer):
    paragraph = serializers.IntegerField(help_text="The paragraph it comes from (#p<n>).")
    text = serializers.SerializerMethodField(help_text="Plain text.")
    html = serializers.CharField(help_text="Escaped text, matched words in <mark>.")

    def get_text(self, snippet) -> str:
        return unescape(strip_tags(snippet.html))


class HitSerializer(serializers.Serializer):
    public_id = serializers.CharField(source="testimony.public_id")
    title = serializers.CharField(source="testimony.title")
    facts = serializers.CharField(help_text="Pseudonym, nationality, work, province, year.")
    summary = serializers.CharField(source="testimony.summary")
    language = serializers.CharField(source="testimony.language")
    year_of_events = serializers.IntegerField(source="testimony.year_of_events")
    is_sample = serializers.BooleanField(source="testimony.is_sample")
    snippet = SnippetSerializer(allow_null=True, help_text="Only when the search has words.")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, hit) -> str:
        return _absolute(self.context["request"], hit.testimony.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, hit) -> str:
        return reverse(
            "api:testimony-detail",
            kwargs={"public_id": hit.testimony.public_id},
            request=self.context["request"],
        )


class FacetValueSerializer(serializers.Serializer):
    code = serializers.CharField(source="value.code")
    label = serializers.CharField(
        source="value.label", help_text="The label in the request's language."
    )
    label_en = serializers.SerializerMethodField(help_text="The label in English.")
    label_th = serializers.SerializerMethodField(help_text="The label in Thai, where there is one.")
    group = serializers.CharField(source="value.group")
    count = serializers.IntegerField(help_text="Matches with every other facet applied.")
    selected = serializers.BooleanField()

    def get_label_en(self, count) -> str:
        with override("en"):
            return str(count.value.label)

    def get_label_th(self, count) -> str:
        # A name from the tables with no Thai yet gives "", not the English again.
        label = count.value.label
        if isinstance(label, BilingualLabel):
            return label.thai
        with override("th"):
            return str(label)


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField(source="facet.name", help_text="The query parameter.")
    label = serializers.CharField(source="facet.label")
    values = FacetValueSerializer(many=True, source="counts")


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()


_NULLABLE_URI = {"type": "string", "format": "uri", "nullable": True}


class SearchResultSerializer(serializers.Serializer):
    """A page of the faceted search, from a ``testimonies.search.SearchResult``."""

    count = serializers.IntegerField(source="total", help_text="Matches on all pages.")
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField()
    sort = serializers.CharField(help_text="The order used (relevance may fall back to newest).")
    notice = serializers.CharField(help_text="Why the order differs from the one asked, if so.")
    results = HitSerializer(many=True, source="hits")
    facets = FacetSerializer(many=True)
    years = serializers.SerializerMethodField(help_text="Matches per year, before the range.")

    def _page_link(self, number: int) -> str:
        request = self.context["request"]
        query = request.GET.copy()
        query["page"] = str(number)
        return _absolute(request, f"{request.path}?{query.urlencode()}")

    @extend_schema_field(_NULLABLE_URI)
    def get_next(self, result) -> str | None:
        return self._page_link(result.page + 1) if result.has_next else None

    @extend_schema_field(_NULLABLE_URI)
    def get_previous(self, result) -> str | None:
        return self._page_link(result.page - 1) if result.has_previous else None

    @extend_schema_field(YearCountSerializer(many=True))
    def get_years(self, result) -> list[dict[str, int]]:
        return [{"year": year, "count": count} for year, count in result.years]
