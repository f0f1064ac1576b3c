"""Raid incidents in the admin."""

import logging

from django.contrib import admin

from testimonies.admin.workflow import WorkflowAdmin
from testimonies.models import (
    RaidIncident,
    Status,
)

logger = logging.getLogger(__name__)


@admin.register(RaidIncident)
class RaidIncidentAdmin(WorkflowAdmin):
    list_display = ["__str__", "status", "date", "province", "venue_type", "people_taken"]
    list_filter = ["status", "province", "venue_type", "authorities", "outcomes"]
    search_fields = ["public_id", "title_source", "description_source"]
    readonly_fields = [
        "public_id",
        "status",
        "first_published_at",
        "published_at",
        "withdrawn_at",
        "title",
        "description",
    ]
    autocomplete_fields = ["clauses_invoked", "testimonies"]
    filter_horizontal = ["authorities", "outcomes"]
    date_hierarchy = "date"

    def view_on_site(self, obj: RaidIncident) -> str | None:
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None
