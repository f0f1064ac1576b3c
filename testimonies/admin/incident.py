"""Raid incidents in the admin."""

from django.contrib import admin
from django.utils.translation import ngettext_lazy

from testimonies.admin.workflow import PUBLICATION_FIELDS, WorkflowAdmin
from testimonies.models import (
    RaidIncident,
    Status,
)


@admin.register(RaidIncident)
class RaidIncidentAdmin(WorkflowAdmin):
    done_messages = {
        "send_to_review": ngettext_lazy(
            "%(count)s raid sent to review.", "%(count)s raids sent to review.", "count"
        ),
        "publish": ngettext_lazy(
            "%(count)s raid published.", "%(count)s raids published.", "count"
        ),
        "withdraw": ngettext_lazy(
            "%(count)s raid withdrawn.", "%(count)s raids withdrawn.", "count"
        ),
    }
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
