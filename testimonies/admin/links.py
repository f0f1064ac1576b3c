"""Clause links and violations in the admin, which published pages show."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from testimonies import services
from testimonies.admin.forms import ShownOnRecordsForm
from testimonies.admin.workflow import Refused, ShowsRefusals
from testimonies.models import (
    RightsViolation,
    TestimonyClause,
)


class ShownOnRecordsAdmin(ShowsRefusals, SimpleHistoryAdmin):
    """For clause links and violations, which published pages show.

    A change that alters what a published testimony or raid shows needs the
    permission to publish it, and goes through publication (a new version,
    the index, the generation token); editors keep full rights on drafts.
    """

    form = ShownOnRecordsForm

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A class made for this request (modelform_factory): the user is this request's.
        assert issubclass(form, ShownOnRecordsForm)
        form.user = request.user
        return form

    def _may_touch(self, request: HttpRequest, obj) -> bool:
        try:
            services.require_publish_permission(
                services.published_records_showing(obj), by=request.user
            )
        except services.WorkflowError:
            return False
        return True

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._may_touch(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._may_touch(request, obj))

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # Where the link was before the change: that record's page changes too.
        saved = type(obj).objects.filter(pk=obj.pk).first() if change else None
        form.shown_before = services.published_records_showing(saved) if saved else []
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        records = [*form.shown_before, *services.published_records_showing(form.instance)]
        try:
            services.republish(records, by=request.user)
        except services.WorkflowError as error:
            raise Refused(str(error)) from error

    def delete_model(self, request: HttpRequest, obj) -> None:
        records = services.published_records_showing(obj)
        try:
            # Checked again here: the record may have been published since the page was shown.
            services.require_publish_permission(records, by=request.user)
        except services.WorkflowError as error:
            raise PermissionDenied(str(error)) from error
        with transaction.atomic():
            super().delete_model(request, obj)
            services.republish(records, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        records = [record for obj in queryset for record in services.published_records_showing(obj)]
        try:
            services.require_publish_permission(records, by=request.user)
        except services.WorkflowError as error:
            raise PermissionDenied(str(error)) from error
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            services.republish(records, by=request.user)


@admin.register(RightsViolation)
class RightsViolationAdmin(ShownOnRecordsAdmin):
    list_display = ["__str__", "testimony", "incident", "perpetrator"]
    list_filter = ["violation_type", "perpetrator"]
    list_select_related = ["violation_type", "testimony", "incident"]
    search_fields = [
        "note_source",
        "violation_type__label",
        "violation_type__label_th",
        "testimony__public_id",
        "testimony__title",
    ]
    autocomplete_fields = ["violation_type", "testimony", "incident", "clauses_breached"]


@admin.register(TestimonyClause)
class TestimonyClauseAdmin(ShownOnRecordsAdmin):
    list_display = ["__str__", "testimony", "relation"]
    list_filter = ["relation", "clause__law"]
    list_select_related = ["clause__law", "testimony"]
    search_fields = [
        "note_source",
        "note_th_source",
        "testimony__public_id",
        "testimony__title",
        "clause__number",
    ]
    autocomplete_fields = ["testimony", "clause"]
