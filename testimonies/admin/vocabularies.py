"""The controlled vocabularies in the admin: violation types, authorities, outcomes."""

import logging

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from testimonies.models import (
    Authority,
    Outcome,
    ViolationType,
)

logger = logging.getLogger(__name__)


@admin.register(ViolationType)
class ViolationTypeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "slug", "is_control", "order"]
    list_filter = ["is_control"]
    search_fields = ["label", "slug", "scope_note"]
    autocomplete_fields = ["clauses"]


@admin.register(Authority, Outcome)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
