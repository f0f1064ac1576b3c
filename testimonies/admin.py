"""The editors' workplace. Status changes only through the workflow actions."""

import logging
from collections.abc import Callable, Iterator

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.signals import post_import
from simple_history.admin import SimpleHistoryAdmin

from testimonies import imports, redaction, services
from testimonies.models import (
    Authority,
    Consent,
    ConsentScope,
    Outcome,
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
    ViolationType,
    Withdrawal,
)
from testimonies.templatetags.local_dates import local_date

logger = logging.getLogger(__name__)


class _Refused(Exception):
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


class EditVersionForm(forms.ModelForm):
    """Carries the edit version the form was opened at, and refuses a save from a stale one.

    Two editors open the same record; the first saves; the second's form now
    shows an old version of the record, and saving it would silently undo the
    first editor's work. The second save is refused instead, with nothing written.
    """

    opened_at_version = forms.IntegerField(
        label=gettext_lazy("Opened at version"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["opened_at_version"] = self.instance.edit_version

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        # Locked until the admin's transaction ends (the change view runs in
        # one), so no other save can slip in between this check and ours.
        current = (
            model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("edit_version", flat=True)
            .first()
        )
        if cleaned.get("opened_at_version") != current:
            raise forms.ValidationError(self._stale_message(), code="stale")
        return cleaned

    def _stale_message(self) -> str:
        last = self.instance.history.order_by("-history_date").first()
        label = self.instance._meta.verbose_name
        if last is None:
            return _(
                "This %(label)s was changed by someone else after you opened it. "
                "Nothing you entered was saved, so their changes are not overwritten. "
                "Copy anything you need, reload the page to see the current text, "
                "and make your changes again."
            ) % {"label": label}
        name = last.history_user.get_username() if last.history_user else _("someone else")
        return _(
            "This %(label)s was changed by someone else after you opened it "
            "(last saved by %(name)s, %(when)s). "
            "Nothing you entered was saved, so their changes are not overwritten. "
            "Copy anything you need, reload the page to see the current text, "
            "and make your changes again."
        ) % {"label": label, "name": name, "when": local_date(last.history_date, "d M Y H:i")}


class MarkedTextForm(forms.ModelForm):
    """Refuses text whose redaction markers are broken: such text could leak a name.

    Checks every marked-up source field of the model that the form shows; the
    message names the field, since an inline row shows its errors apart from it.
    """

    def clean(self) -> dict:
        model = self._meta.model
        for source in model.source_fields.values():
            if source not in self.fields or source not in self.cleaned_data:
                continue
            for problem in model.source_errors(source, self.cleaned_data[source]):
                self.add_error(
                    source,
                    _("%(field)s: %(problem)s")
                    % {"field": self.fields[source].label, "problem": problem},
                )
        return super().clean()


class WorkflowRecordForm(MarkedTextForm, EditVersionForm):
    """A testimony's or an incident's form: markers checked, stale edits refused."""


class WorkflowAdmin(SimpleHistoryAdmin):
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
                raise _Refused(str(error)) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class TestimonyClauseInline(admin.TabularInline):
    model = TestimonyClause
    form = MarkedTextForm
    fields = ["clause", "relation", "note_source", "paragraph"]
    autocomplete_fields = ["clause"]
    extra = 1


class RightsViolationInlineForm(MarkedTextForm):
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # The inline always sets the testimony, but a new testimony has no pk
        # while forms are validated; the database constraint still holds.
        exclusions.add("testimony")
        return exclusions


class RightsViolationInline(admin.StackedInline):
    model = RightsViolation
    form = RightsViolationInlineForm
    fields = ["violation_type", "perpetrator", "incident", "note_source", "clauses_breached"]
    autocomplete_fields = ["violation_type", "incident", "clauses_breached"]
    extra = 0


class ConsentInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        testimony = self.instance
        if testimony.pk is None or testimony.status != Status.PUBLISHED:
            return
        consents = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        saved = Consent.objects.filter(testimony=testimony).first()
        if not consents and saved is None:
            raise ValidationError(
                _(
                    "This testimony was published before consent was recorded: record the "
                    "narrator's consent to publish this correction."
                )
            )
        # The form's text is already on the instance: check it against the scope
        # now, so the correction is refused here rather than after saving.
        scope = consents[0].get("scope") if consents else saved.scope
        if scope == ConsentScope.EXCERPTS and not redaction.excerpt_count(testimony.body_source):
            raise ValidationError(
                _(
                    "Consent covers excerpts only: begin at least one body paragraph with "
                    "[[excerpt]], or nothing of the body could be published."
                )
            )


class ConsentInline(admin.StackedInline):
    """Shown only to users with permission to view consent records (reviewers)."""

    model = Consent
    formset = ConsentInlineFormSet
    fields = ["scope", "basis", "given_on", "note"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = gettext_lazy("consent (private: reviewers only, never published)")
    verbose_name_plural = verbose_name


class TestimonyVersionInline(admin.TabularInline):
    model = TestimonyVersion
    fields = ["number", "published_at", "correction_note", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Testimony)
class TestimonyAdmin(ImportMixin, WorkflowAdmin):
    actions = [*WorkflowAdmin.actions, "apply_redactions_to_versions"]
    # Bulk import: upload, preview with per-row errors, confirm. Every row
    # becomes (or updates) a draft; see testimonies/imports.py.
    resource_classes = [imports.TestimonyResource]
    import_formats = imports.IMPORT_FORMATS
    import_template_name = "admin/testimonies/testimony/import.html"

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The confirm step: write the previewed file, showing progress as batches go in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)  # shows the form's errors
        input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        tmp_storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        dataset = input_format.create_dataset(tmp_storage.read())
        resource_kwargs = self.get_import_resource_kwargs(request, form=confirm_form, **kwargs)
        resource = self.choose_import_resource_class(confirm_form, request)(**resource_kwargs)
        file_name = confirm_form.cleaned_data.get("original_file_name") or ""
        page = render_to_string(
            "admin/testimonies/testimony/import_progress.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Importing %(file)s") % {"file": file_name},
                "opts": self.opts,
                "file_name": file_name,
                "total": len(dataset),
                "stream_mark": mark_safe(_STREAM_MARK),
            },
            request=request,
        )
        head, tail = page.split(_STREAM_MARK, 1)
        rows = self._import_streaming(
            request, dataset=dataset, resource=resource, file_name=file_name
        )
        response = StreamingHttpResponse(
            _stream_page(
                head,
                rows,
                tail,
                language=translation.get_language(),
                cleanup=tmp_storage.remove,
            ),
            content_type="text/html; charset=utf-8",
        )
        # A proxy that buffers the answer would hold every progress line back to the end.
        response["X-Accel-Buffering"] = "no"
        return response

    def _import_streaming(
        self, request: HttpRequest, *, dataset, resource, file_name: str
    ) -> Iterator[str]:
        """Import the file in one transaction, yielding HTML as each batch goes in.

        The transaction is opened here, not by the view: a streamed body is
        produced after the view has returned, outside any transaction the
        request had. Should the editor close the page, the generator is closed
        at its next line and the transaction rolls back: nothing is written.
        """
        total = len(dataset)
        totals = {"new": 0, "update": 0, "skip": 0}
        problems: list = []
        rows_changed = False
        try:
            with transaction.atomic():
                for done, result in imports.write_batches(
                    dataset,
                    file_name=file_name,
                    batch_size=settings.ARCHIVE_IMPORT_BATCH_SIZE,
                    user=request.user,
                    resource=resource,
                    retain_instances=True,
                ):
                    self.generate_log_entries(result, request)
                    for key in totals:
                        totals[key] += result.totals[key]
                    yield _progress_line(done, total)
        except imports.BatchFailed as failed:
            problems, rows_changed = failed.problems, True
        except DatabaseError as error:
            logger.exception("Import of %s refused by the database", file_name)
            problems = [_("The database refused the import: %(error)s") % {"error": error}]
        except Exception:
            # The page has started, so no error page can follow: say here that
            # nothing was written (the transaction rolled back) and log the rest.
            logger.exception("Import of %s failed", file_name)
            problems = [_("An unexpected error stopped the import.")]
        else:
            post_import.send(sender=None, model=self.model)
        yield render_to_string(
            "admin/testimonies/testimony/_import_outcome.html",
            {
                "opts": self.opts,
                "ok": not problems,
                "problems": problems,
                "rows_changed": rows_changed,
                "total": total,
                "new": totals["new"],
                "updated": totals["update"],
                "skipped": totals["skip"],
                "drafts_url": reverse("admin:testimonies_testimony_changelist")
                + f"?status__exact={Status.DRAFT}",
                "import_url": reverse("admin:testimonies_testimony_import"),
            },
        )

    list_display = [
        "__str__",
        "status",
        "narrator_pseudonym",
        "nationality",
        "province",
        "year_of_events",
        "language",
        "updated_at",
    ]
    list_filter = [
        "status",
        "language",
        "nationality",
        "age_group",
        "work_setting",
        "is_sample",
        "province",
    ]
    search_fields = [
        "public_id",
        "title_source",
        "narrator_pseudonym",
        "summary_source",
        "body_source",
    ]
    readonly_fields = [
        "public_id",
        "status",
        "first_published_at",
        "published_at",
        "withdrawn_at",
        "title",
        "summary",
        "body",
        "content_note",
        "source",
        "correction_note",
        "external_ref",
    ]
    inlines = [ConsentInline, TestimonyClauseInline, RightsViolationInline, TestimonyVersionInline]
    autocomplete_fields = ["translation_of"]
    fieldsets = [
        (
            gettext_lazy("Publication"),
            {
                "fields": [
                    "public_id",
                    "status",
                    "first_published_at",
                    "published_at",
                    "withdrawn_at",
                    "opened_at_version",
                ]
            },
        ),
        (
            gettext_lazy("The account"),
            {
                "fields": [
                    "title_source",
                    "narrator_pseudonym",
                    "summary_source",
                    "body_source",
                    "content_note_source",
                    "language",
                    "translation_of",
                ]
            },
        ),
        (
            gettext_lazy("What the public reads (redactions applied; saved text only)"),
            {
                "classes": ["collapse"],
                "fields": ["title", "summary", "body", "content_note", "source", "correction_note"],
            },
        ),
        (
            gettext_lazy("Narrator (kept coarse)"),
            {"fields": ["nationality", "age_group", "work_setting"]},
        ),
        (gettext_lazy("Events"), {"fields": ["province", "year_of_events", "date_recorded"]}),
        (
            gettext_lazy("Source"),
            {
                "fields": [
                    "source_source",
                    "is_sample",
                    "correction_note_source",
                    "external_ref",
                ]
            },
        ),
    ]

    def view_on_site(self, obj: Testimony) -> str | None:
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Consent:
            super().save_formset(request, form, formset, change)
            return
        # Consent is recorded through its service, which makes every public
        # text (earlier versions included) obey a narrowed scope at once.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for consent_form in formset.forms:
            data = consent_form.cleaned_data
            if not data or not consent_form.has_changed():
                continue
            is_new = consent_form.instance.pk is None
            try:
                consent = services.consent_record(
                    testimony=form.instance,
                    scope=data["scope"],
                    basis=data["basis"],
                    given_on=data["given_on"],
                    note=data.get("note", ""),
                    by=request.user,
                )
            except services.WorkflowError as error:
                raise _Refused(str(error)) from error
            if is_new:
                formset.new_objects.append(consent)
            else:
                formset.changed_objects.append((consent, consent_form.changed_data))

    @admin.action(
        description=gettext_lazy("Apply redactions to earlier versions"),
        permissions=["publish"],
    )
    def apply_redactions_to_versions(self, request: HttpRequest, queryset: QuerySet) -> None:
        """What the text marks now is withheld in every version published before it was marked."""
        for testimony in queryset:
            try:
                numbers = services.versions_apply_redactions(testimony=testimony, by=request.user)
            except services.WorkflowError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            if numbers:
                message = ngettext(
                    "%(record)s: later redactions applied to version %(numbers)s.",
                    "%(record)s: later redactions applied to versions %(numbers)s.",
                    len(numbers),
                ) % {"record": testimony.public_id, "numbers": ", ".join(map(str, numbers))}
                self.message_user(request, message, messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    _("%(record)s: no earlier version holds text that is marked now.")
                    % {"record": testimony.public_id},
                    messages.INFO,
                )


# Where the streamed progress goes in the import page's template.
_STREAM_MARK = "<!-- import progress -->"


def _stream_page(
    head: str, body: Iterator[str], tail: str, *, language: str, cleanup: Callable[[], None]
) -> Iterator[str]:
    try:
        yield head
        while True:
            # The body is read after the view has returned (under ASGI, maybe on
            # another thread): the request's language must be set again for it.
            with translation.override(language):
                chunk = next(body, None)
            if chunk is None:
                break
            yield chunk
        yield tail
    finally:
        body.close()
        cleanup()


def _progress_line(done: int, total: int) -> str:
    text = ngettext(
        "Imported %(done)s of %(total)s row",
        "Imported %(done)s of %(total)s rows",
        total,
    ) % {"done": intcomma(done), "total": intcomma(total)}
    return format_html('<li><progress value="{}" max="{}"></progress> {}</li>\n', done, total, text)


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


@admin.register(ViolationType)
class ViolationTypeAdmin(SimpleHistoryAdmin):
    list_display = ["label", "slug", "is_control", "order"]
    list_filter = ["is_control"]
    search_fields = ["label", "slug", "scope_note"]
    autocomplete_fields = ["clauses"]


class ShownOnRecordsForm(MarkedTextForm):
    """Refuses, for a user who may not publish, a link onto a published record.

    ``user`` is set per request by ``ShownOnRecordsAdmin.get_form``.
    """

    user = None

    def clean(self) -> dict:
        cleaned = super().clean()
        targets = [cleaned.get(name) for name in ("testimony", "incident") if name in cleaned]
        try:
            services.require_publish_permission(
                [record for record in targets if record is not None], by=self.user
            )
        except services.WorkflowError as error:
            raise ValidationError(str(error)) from error
        return cleaned


class ShownOnRecordsAdmin(SimpleHistoryAdmin):
    """For clause links and violations, which published pages show.

    A change that alters what a published testimony or raid shows needs the
    permission to publish it, and goes through publication (a new version,
    the index, the generation token); editors keep full rights on drafts.
    """

    form = ShownOnRecordsForm

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
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
            raise _Refused(str(error)) from error

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(RightsViolation)
class RightsViolationAdmin(ShownOnRecordsAdmin):
    list_display = ["__str__", "testimony", "incident", "perpetrator"]
    list_filter = ["violation_type", "perpetrator"]
    list_select_related = ["violation_type", "testimony", "incident"]
    search_fields = [
        "note_source",
        "violation_type__label",
        "testimony__public_id",
        "testimony__title",
    ]
    autocomplete_fields = ["violation_type", "testimony", "incident", "clauses_breached"]


@admin.register(TestimonyClause)
class TestimonyClauseAdmin(ShownOnRecordsAdmin):
    list_display = ["__str__", "testimony", "relation"]
    list_filter = ["relation", "clause__law"]
    list_select_related = ["clause__law", "testimony"]
    search_fields = ["note_source", "testimony__public_id", "testimony__title", "clause__number"]
    autocomplete_fields = ["testimony", "clause"]


@admin.register(Authority, Outcome)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    """The ledger, read-only, for reviewers (those who may withdraw) only."""

    list_display = ["public_id", "withdrawn_at"]
    search_fields = ["public_id"]
    date_hierarchy = "withdrawn_at"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("testimonies.withdraw_testimony")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
