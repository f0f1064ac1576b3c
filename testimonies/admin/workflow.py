"""What testimonies and raids share in the admin: the workflow actions and their confirmations."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from testimonies import redaction, services
from testimonies.admin.forms import WorkflowRecordForm
from testimonies.models import (
    RaidIncident,
    Status,
    Testimony,
)


class Refused(Exception):
    """Rolls back the admin's save transaction; the message is shown to the reviewer."""


def _run_workflow(modeladmin, request, queryset, step, done: str) -> None:
    """Run ``step`` on each record; ``done`` reports the count, as ``%(count)s``."""
    changed = 0
    for record in queryset:
        try:
            step(record=record, by=request.user)
        except services.WorkflowError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, done % {"count": changed}, messages.SUCCESS)


# What the change form shows of a published record's publication, never edits.
PUBLICATION_FIELDS = ["public_id", "status", "first_published_at", "published_at", "withdrawn_at"]


class ShowsRefusals(admin.ModelAdmin):
    """A save the workflow refuses (``Refused``) is rolled back and its reason shown."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class WorkflowAdmin(ShowsRefusals, SimpleHistoryAdmin):
    """Shared by testimonies and incidents: the workflow actions, the stale-edit check
    and the warning about identifying text."""

    actions = ["send_to_review", "publish", "withdraw"]
    form = WorkflowRecordForm

    @admin.action(description=gettext_lazy("Send to review"), permissions=["send_to_review"])
    def send_to_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = _("%(count)s record(s) sent to review.")
        _run_workflow(self, request, queryset, services.send_to_review, done)

    @admin.action(description=gettext_lazy("Publish"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet):
        """Publish, after the reviewer has seen any text that looks identifying."""
        if request.POST.get("confirm_identifying") != "yes":
            flagged = [
                (record, findings)
                for record in queryset
                if _publishable(record) and (findings := services.identifying_text(record))
            ]
            if flagged:
                return self._confirmation_page(
                    request,
                    "admin/testimonies/publish_confirmation.html",
                    title=_("Publish: check for identifying text"),
                    queryset=queryset,
                    flagged=flagged,
                )
        _run_workflow(
            self, request, queryset, services.publish, _("%(count)s record(s) published.")
        )
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and obj.status != Status.WITHDRAWN:
                findings = services.identifying_text(obj)
                if findings:
                    self.message_user(request, _warning(findings), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(
        description=gettext_lazy("Withdraw (consent withdrawn: erases the text for good)"),
        permissions=["withdraw"],
    )
    def withdraw(self, request: HttpRequest, queryset: QuerySet):
        """Withdraw, once the reviewer has confirmed on a page naming every record."""
        if request.POST.get("confirm_withdrawal") != "yes":
            return self._confirmation_page(
                request,
                "admin/testimonies/withdraw_confirmation.html",
                title=_("Withdraw: erase the text for good"),
                queryset=queryset,
            )
        _run_workflow(
            self, request, queryset, services.withdraw, _("%(count)s record(s) withdrawn.")
        )
        return None

    def _confirmation_page(
        self,
        request: HttpRequest,
        template: str,
        *,
        title: str,
        queryset: QuerySet,
        **context: object,
    ) -> TemplateResponse:
        """A page extending action_confirmation.html, with what that template re-posts."""
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "queryset": queryset,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    def _has(self, request: HttpRequest, codename: str) -> bool:
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def has_send_to_review_permission(self, request: HttpRequest) -> bool:
        return self._has(request, f"send_{self.opts.model_name}_to_review")

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._has(request, f"publish_{self.opts.model_name}")

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return self._has(request, f"withdraw_{self.opts.model_name}")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if obj.status == Status.WITHDRAWN:
            return False
        # Changing a published record changes what the public reads: a reviewer's job.
        if obj.status == Status.PUBLISHED:
            return self.has_publish_permission(request)
        return True

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A public id, once given, must keep answering (200 or 410): never delete.
        if obj is not None and obj.public_id:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if change and obj.status == Status.PUBLISHED:
            # A reviewer's edit of a published record is a new publication; it
            # runs after the inlines are saved so the index sees the new links.
            try:
                services.publish(record=obj, by=request.user)
            except services.WorkflowError as error:
                # The forms check consent and markers first, so this is rare
                # (another reviewer changed the consent meanwhile); undo the edit.
                raise Refused(str(error)) from error


def _publishable(record: Testimony | RaidIncident) -> bool:
    """Whether publishing could go ahead; refusals are reported without asking first."""
    try:
        services.check_publishable(record)
    except services.WorkflowError:
        return False
    return record.status in (Status.IN_REVIEW, Status.PUBLISHED)


def _warning(findings: list[redaction.Finding]) -> str:
    listed = ", ".join(str(finding) for finding in findings[:12])
    if len(findings) > 12:
        listed = _("%(listed)s and %(more)s more") % {"listed": listed, "more": len(findings) - 12}
    return _(
        "Before publishing, check text that may identify someone and is not inside a "
        "redaction marker: %(listed)s. Mark it, e.g. [[name:...]], or leave it if it "
        "is safe."
    ) % {"listed": listed}
