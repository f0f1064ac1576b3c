from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from archive.admin_views import ReadOnlyAdminMixin
from laws import picker
from laws.models import (
    Amendment,
    Clause,
    ClauseSlugHistory,
    ClauseVersion,
    Law,
    LawSlugHistory,
)
from laws.review_admin import ReviewedInline, ReviewedReferenceAdmin


class ClauseInline(ReviewedInline, admin.TabularInline):
    model = Clause
    fields = ["number", "slug", "heading", "heading_th", "parent", "order"]
    autocomplete_fields = ["parent"]
    extra = 0
    show_change_link = True


@admin.register(Law)
class LawAdmin(ReviewedReferenceAdmin, SimpleHistoryAdmin):
    list_display = [
        "short_name",
        "short_name_th",
        "title_en",
        "jurisdiction",
        "kind",
        "year",
        "ratification_status",
    ]
    list_filter = ["jurisdiction", "kind", "ratification_status", "binding_in_2012"]
    search_fields = ["short_name", "short_name_th", "title_en", "title_th", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ClauseInline]
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "title_en", "summary"]}),
        (_("Thai"), {"fields": ["short_name_th", "title_th", "summary_th"]}),
        (_("Classification"), {"fields": ["jurisdiction", "kind", "year", "year_be", "order"]}),
        (
            _("Status for Thailand"),
            {"fields": ["ratification_status", "ratification_date", "binding_in_2012"]},
        ),
        (_("Source"), {"fields": ["source_url"]}),
    ]


@admin.register(Clause)
class ClauseAdmin(ReviewedReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "law", "number", "order"]
    list_filter = ["law__jurisdiction", "law"]
    list_select_related = ["law"]
    search_fields = [
        "number",
        "heading",
        "heading_th",
        "summary",
        "summary_th",
        "law__short_name",
        "law__short_name_th",
        "law__title_en",
        "law__title_th",
        "slug",
    ]
    autocomplete_fields = ["law", "parent"]
    ordering = ["law__order", "order"]

    def get_search_results(self, request, queryset, search_term):
        """Citations first: the clause picker's options, best match on top (laws/picker.py)."""
        text_matches, _duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return text_matches, _duplicates
        # The text matches go in as a subquery of primary keys: no duplicate rows.
        return picker.rank_clauses(queryset, search_term, text_matches), False

    def autocomplete_label(self, clause: Clause) -> str:
        return picker.option_label(clause)


class FormerSlugAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: rows are written when a slug changes and must outlive every edit."""


@admin.register(LawSlugHistory)
class LawSlugHistoryAdmin(FormerSlugAdmin):
    list_display = ["slug", "law", "changed_at"]
    list_select_related = ["law"]
    search_fields = ["slug", "law__slug", "law__short_name"]


@admin.register(ClauseSlugHistory)
class ClauseSlugHistoryAdmin(FormerSlugAdmin):
    list_display = ["law", "slug", "clause", "changed_at"]
    list_select_related = ["law", "clause__law"]
    search_fields = ["slug", "clause__slug", "law__slug"]


# --- Amendments and clause versions: the law as it stood on a given day ---------------------
# Curated with history like everything else (each model keeps HistoricalRecords,
# so a change through an inline is recorded too).


class ClauseVersionInline(ReviewedInline, admin.StackedInline):
    model = ClauseVersion
    fields = [
        ("valid_from", "valid_until"),
        "amendment",
        "wording_known",
        "summary",
        "summary_th",
        "official_text",
        "official_text_source",
    ]
    autocomplete_fields = ["amendment"]
    extra = 0
    show_change_link = True


@admin.register(Amendment)
class AmendmentAdmin(ReviewedReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["name", "law", "kind", "in_force_from", "in_force_precision"]
    list_filter = ["kind", "law"]
    list_select_related = ["law"]
    search_fields = ["name", "name_th", "slug", "gazette_reference", "law__short_name"]
    autocomplete_fields = ["law"]
    ordering = ["law__order", "in_force_from"]
    fieldsets = [
        (None, {"fields": ["law", "slug", "kind", "name", "name_th"]}),
        (
            _("Entry into force"),
            {"fields": ["in_force_from", "in_force_precision", "gazette_reference"]},
        ),
        (_("Source"), {"fields": ["source_url", "note"]}),
    ]


@admin.register(ClauseVersion)
class ClauseVersionAdmin(ReviewedReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "amendment", "valid_from", "valid_until", "wording_known"]
    list_filter = ["clause__law", "wording_known"]
    list_select_related = ["clause__law", "amendment"]
    search_fields = ["clause__number", "clause__law__short_name", "amendment__name", "summary"]
    autocomplete_fields = ["clause", "amendment"]
    ordering = ["clause__law__order", "clause__order", "valid_from"]


# Appended here rather than in the class above, so that this section stands alone.
# (A law's amendments are curated on their own admin page: the law form already
# carries every clause, and its posted forms stay as they were.)
ClauseAdmin.inlines = [*ClauseAdmin.inlines, ClauseVersionInline]
