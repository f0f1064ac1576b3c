"""What testimonies and raids share in the admin: the workflow actions and their confirmations."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
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


def _run_workflow(modeladmin: "WorkflowAdmin", request, queryset, step, verb: str) -> None:
    """Run ``step`` on each record; the admin's ``done_messages[verb]`` reports the count."""
    changed = 0
    for record in queryset:
        try:
            step(record=record, by=request.user)
        except services.WorkflowError as error:
            modeladmin.message_user(request, modeladmin.refusal(error, record), messages.ERROR)
        else:
            changed += 1
    if changed:
        done = modeladmin.done_messages[verb] % {"count": changed}
        modeladmin.message_user(request, done, messages.SUCCESS)


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
    # What each verb reports, as a sentence with its count (``%(count)s``); each
    # record type names itself ("1 testimony published", "3 raids published").
    done_messages: dict[str, Promise] = {
        "send_to_review": ngettext_lazy(
            "%(count)s record sent to review.", "%(count)s records sent to review.", "count"
        ),
        "publish": ngettext_lazy(
            "%(count)s record published.", "%(count)s records published.", "count"
        ),
        "withdraw": ngettext_lazy(
            "%(count)s record withdrawn.", "%(count)s records withdrawn.", "count"
        ),
    }

    def refusal(self, error: services.WorkflowError, record: Testimony | RaidIncident) -> str:
        """The refusal as shown; a want of consent links to where it is recorded."""
        if not isinstance(error, services.ConsentNeeded):
            return str(error)
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(record.pk)]
        )
        return format_html(
            '{} <a href="{}#consent-group">{}</a>', str(error), url, _("Record the consent.")
        )

    @admin.action(description=gettext_lazy("Send to review"), permissions=["send_to_review"])
    def send_to_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run_workflow(self, request, queryset, services.send_to_review, "send_to_review")

    @admin.action(description=gettext_lazy("Publish"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet):
        """Publish, once the reviewer has seen every clause link in full, the links that
        look unlikely, and any text that looks identifying."""
        if request.POST.get("confirm_publication") != "yes":
            page = self._publish_confirmation(request, queryset)
            if page is not None:
                return page
        _run_workflow(self, request, queryset, services.publish, "publish")
        return None

    def _publish_confirmation(
        self, request: HttpRequest, queryset: QuerySet, **context: object
    ) -> TemplateResponse | None:
        """The page a reviewer confirms before publishing, or None if there is nothing to
        confirm (no clause links, no warnings): refusals are reported without asking."""
        checked = [
            _PublishCheck(
                record=record,
                links=services.links_in_full(record),
                unlikely=services.unlikely_links(record),
                findings=services.identifying_text(record),
            )
            for record in queryset
            if _publishable(record)
        ]
        if not any(check.links or check.unlikely or check.findings for check in checked):
            return None
        return self._confirmation_page(
            request,
            "admin/testimonies/publish_confirmation.html",
            title=_("Publish: check the clause links and the text"),
            queryset=queryset,
            checked=checked,
            flagged=any(check.findings for check in checked),
            **context,
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The record page's Publish button lands here: the same confirmation as the list
        action, posting to it; a refusal goes back to the record with its reason."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        record = self.get_object(request, object_id)
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(record.pk)]
        )
        try:
            services.check_publishable(record)
        except services.WorkflowError as error:
            self.message_user(request, self.refusal(error, record), messages.ERROR)
            return HttpResponseRedirect(change_url)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        queryset = self.get_queryset(request).filter(pk=record.pk)
        page = self._publish_confirmation(
            request, queryset, form_action=changelist, cancel_url=change_url
        )
        if page is not None:
            return page
        _run_workflow(self, request, queryset, services.publish, "publish")
        return HttpResponseRedirect(changelist)

    def response_add(self, request: HttpRequest, obj, post_url_continue=None):
        return self._workflow_button(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj):
        return self._workflow_button(request, obj) or super().response_change(request, obj)

    def _workflow_button(self, request: HttpRequest, obj) -> HttpResponse | None:
        """After a save through "Save and send to review" or "Save and publish": the step.

        The save stands either way; a refused step says why and leaves the record
        where it was.
        """
        info = self.opts.app_label, self.opts.model_name
        if "_send_to_review" in request.POST:
            if not self.has_send_to_review_permission(request):
                raise PermissionDenied
            queryset = self.get_queryset(request).filter(pk=obj.pk)
            _run_workflow(self, request, queryset, services.send_to_review, "send_to_review")
            return HttpResponseRedirect(reverse("admin:{}_{}_changelist".format(*info)))
        if "_publish" in request.POST:
            if not self.has_publish_permission(request):
                raise PermissionDenied
            return HttpResponseRedirect(
                reverse("admin:{}_{}_publish".format(*info), args=[quote(obj.pk)])
            )
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        status = obj.status if obj is not None else Status.DRAFT
        context["show_send_to_review"] = (
            status == Status.DRAFT and self.has_send_to_review_permission(request)
        )
        context["show_publish"] = status == Status.IN_REVIEW and self.has_publish_permission(
            request
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        _run_workflow(self, request, queryset, services.withdraw, "withdraw")
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
        for warning in services.unlikely_links(obj):
            self.message_user(request, warning, messages.WARNING)
        if change and obj.status == Status.PUBLISHED:
            # A reviewer's edit of a published record is a new publication; it
            # runs after the inlines are saved so the index sees the new links.
            try:
                services.publish(record=obj, by=request.user)
            except services.WorkflowError as error:
                # The forms check consent and markers first, so this is rare
                # (another reviewer changed the consent meanwhile); undo the edit.
                raise Refused(str(error)) from error


@dataclass(frozen=True)
class _PublishCheck:
    """What the publish confirmation shows of one record."""

    record: Testimony | RaidIncident
    links: list[services.LinkInFull]
    unlikely: list[str]
    findings: list[redaction.Finding]


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
