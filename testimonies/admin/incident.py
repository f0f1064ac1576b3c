"""Raid incidents in the admin."""

from django.contrib import admin

from testimonies.admin.workflow import PUBLICATION_FIELDS, WorkflowAdmin
from testimonies.models import (
    RaidIncident,
    Status,
)


@admin.register(RaidIncident)
class RaidIncidentAdmin(WorkflowAdmin):
    list_display = ["__str__", "status", "date", "province", "venue_type", "people_taken"]
    list_filter = ["status", "province", "venue_type", "authorities", "outcomes"]
    search_fields = ["public_id", "title_source", "description_source"]
    readonly_fields = [
        *PUBLICATION_FIELDS,
        "title",
        "description",
    ]
    autocomplete_fields = ["clauses_invoked", "testimonies"]
    filter_horizontal = ["authorities", "outcomes"]
    date_hierarchy = "date"

    def view_on_site(self, obj: RaidIncident) -> str | None:
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None
