from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from laws.models import Clause, ClauseSlugHistory, Law, LawSlugHistory


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ["number", "slug", "heading", "parent", "order"]
    autocomplete_fields = ["parent"]
    extra = 0
    show_change_link = True


@admin.register(Law)
class LawAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "title_en", "jurisdiction", "kind", "year", "ratification_status"]
    list_filter = ["jurisdiction", "kind", "ratification_status", "binding_in_2012"]
    search_fields = ["short_name", "title_en", "title_th", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ClauseInline]
    fieldsets = [
        (None, {"fields": ["short_name", "slug", "title_en", "title_th", "summary"]}),
        (_("Classification"), {"fields": ["jurisdiction", "kind", "year", "year_be", "order"]}),
        (
            _("Status for Thailand"),
            {"fields": ["ratification_status", "ratification_date", "binding_in_2012"]},
        ),
        (_("Source"), {"fields": ["source_url"]}),
    ]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "law", "number", "order"]
    list_filter = ["law__jurisdiction", "law"]
    list_select_related = ["law"]
    search_fields = ["number", "heading", "summary", "law__short_name", "law__title_en", "slug"]
    autocomplete_fields = ["law", "parent"]
    ordering = ["law__order", "order"]


class FormerSlugAdmin(admin.ModelAdmin):
    """Read-only: rows are written when a slug changes and must outlive every edit."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
