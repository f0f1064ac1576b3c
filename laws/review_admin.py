"""Reference data in the admin goes through review: editors propose, reviewers publish.

``ReviewedReferenceAdmin`` is mixed into the admins of laws, clauses,
amendments, clause versions and violation types. For a user without the
publish permission, a saved add or change form is not written: the values
become a ``ReferenceChange`` in review (``laws.services.reference_change_propose``),
their inlines are read-only and nothing can be deleted. A reviewer's own save
stays direct, since the reviewer is the one who publishes.
``ReferenceChangeAdmin`` is where reviewers read a proposal field by field
and publish or reject it.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from archive.admin_views import ReadOnlyAdminMixin
from laws import proposals, services
from laws.models import ReferenceChange


def publishes(request: HttpRequest) -> bool:
    return request.user.has_perm(proposals.PUBLISH_PERMISSION)


class _Staged(Exception):
    """Leaves the admin's save transaction before anything is written; carries the form's values."""

    def __init__(self, record: models.Model, fields: list[str], m2m: proposals.Values) -> None:
        super().__init__()
        self.record, self.fields, self.m2m = record, fields, m2m


class ReviewedReferenceAdmin(admin.ModelAdmin):
    """Editors' saves become proposals in review; see the module's docstring."""

    def save_model(self, request, obj, form, change) -> None:
        if publishes(request):
            super().save_model(request, obj, form, change)
            return
        m2m = {
            name: [related.pk for related in form.cleaned_data.get(name) or []]
            for name in proposals.editable_fields(type(obj), list(form.fields))
            if obj._meta.get_field(name).many_to_many
        }
        raise _Staged(obj, list(form.fields), m2m)

    def _staged(self, request: HttpRequest, staged: _Staged) -> HttpResponse:
        change = services.reference_change_propose(
            record=staged.record, fields=staged.fields, m2m=staged.m2m, by=request.user
        )
        if staged.record.pk is None:
            message = gettext(
                "Your new %(kind)s %(record)s was sent to review; it is not public until a "
                "reviewer publishes it."
            )
        else:
            message = gettext(
                "Your change to %(record)s was sent to review; it is not public until a "
                "reviewer publishes it."
            )
        kind = str(self.opts.verbose_name)
        self.message_user(
            request, message % {"kind": kind, "record": change.target_label}, messages.SUCCESS
        )
        if request.user.has_perm("laws.view_referencechange"):
            target = reverse("admin:laws_referencechange_change", args=[quote(change.pk)])
        else:
            target = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return HttpResponseRedirect(target)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Staged as staged:
            return self._staged(request, staged)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to an earlier version is a change like any other.
        try:
            return super().history_form_view(  # type: ignore[misc]
                request, object_id, version_id, extra_context
            )
        except _Staged as staged:
            return self._staged(request, staged)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A deletion cannot wait in review; only those who publish may delete.
        return publishes(request) and super().has_delete_permission(request, obj)


class ReviewedInline(admin.options.InlineModelAdmin):
    """An inline editors only read: each row has its own page, whose saves are reviewed."""

    def has_add_permission(self, request, obj=None) -> bool:
        return publishes(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return publishes(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return publishes(request) and super().has_delete_permission(request, obj)


@admin.register(ReferenceChange)
class ReferenceChangeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Proposed changes: read by everyone who edits, published or rejected by reviewers."""

    list_display = ["target_label", "target_type", "status", "author", "created_at", "reviewer"]
    list_filter = ["status", "target_type"]
    list_select_related = ["target_type", "author", "reviewer"]
    search_fields = ["target_label", "note"]
    date_hierarchy = "created_at"
    change_form_template = "admin/laws/referencechange/change_form.html"
    fields = [
        "target_label",
        "target_type",
        "target_id",
        "status",
        "author",
        "created_at",
        "reviewer",
        "decided_at",
        "note",
    ]
    readonly_fields = fields

    def get_urls(self):
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="laws_referencechange_publish",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(require_POST(self.reject_view)),
                name="laws_referencechange_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        context: dict[str, Any] = {**(extra_context or {})}
        if change is not None:
            live = proposals.live_record(change)
            context.update(
                field_changes=proposals.field_changes(change),
                is_open=change.status
                in (ReferenceChange.Status.DRAFT, ReferenceChange.Status.IN_REVIEW),
                can_decide=publishes(request),
                is_stale=live is not None and proposals.is_stale(change, live),
                live_url=live
                and reverse(
                    f"admin:{live._meta.app_label}_{live._meta.model_name}_change",
                    args=[quote(live.pk)],
                ),
            )
        return super().change_view(request, object_id, form_url, context)

    def _decide(self, request: HttpRequest, object_id: str, decide) -> HttpResponse:
        if not publishes(request):
            raise PermissionDenied
        change = self.get_object(request, unquote(object_id))
        if change is None:
            raise Http404
        try:
            message = decide(change)
        except services.ReferenceChangeRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:laws_referencechange_change", args=[quote(change.pk)])
        )

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def publish(change: ReferenceChange) -> str:
            services.reference_change_publish(change=change, by=request.user)
            return gettext("The change to %(record)s is published.") % {
                "record": change.target_label
            }

        return self._decide(request, object_id, publish)

    def reject_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        def reject(change: ReferenceChange) -> str:
            note = request.POST.get("note", "").strip()
            services.reference_change_reject(change=change, by=request.user, note=note)
            return gettext("The change to %(record)s is rejected; the record is unchanged.") % {
                "record": change.target_label
            }

        return self._decide(request, object_id, reject)
