"""The controlled vocabularies in the admin: violation types, authorities, outcomes."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from laws.review_admin import ReviewedReferenceAdmin
from testimonies.models import (
    Authority,
    Outcome,
    ViolationType,
)


@admin.register(ViolationType)
class ViolationTypeAdmin(ReviewedReferenceAdmin, SimpleHistoryAdmin):
    list_display = ["label", "label_th", "slug", "is_control", "order"]
    list_filter = ["is_control"]
    search_fields = ["label", "label_th", "slug", "scope_note", "scope_note_th"]
    # Each text beside its Thai, so an editor writes the two together.
    fields = [
        "slug",
        "label",
        "label_th",
        "scope_note",
        "scope_note_th",
        "clauses",
        "is_control",
        "order",
    ]
    autocomplete_fields = ["clauses"]


@admin.register(Authority, Outcome)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_th", "slug", "order"]
    search_fields = ["name", "name_th", "slug"]
