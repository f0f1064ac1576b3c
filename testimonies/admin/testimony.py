"""Testimonies in the admin: the account, consent, clause links, violations, versions; import."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin

from testimonies import imports, services
from testimonies.admin.forms import ConsentInlineFormSet, MarkedTextForm, RightsViolationInlineForm
from testimonies.admin.workflow import PUBLICATION_FIELDS, Refused, WorkflowAdmin
from testimonies.imports import streaming
from testimonies.models import (
    Consent,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
)


class TestimonyClauseInline(admin.TabularInline):
    model = TestimonyClause
    form = MarkedTextForm
    fields = ["clause", "law", "relation", "note_source", "note_th_source", "paragraph"]
    readonly_fields = ["law"]
    autocomplete_fields = ["clause"]
    # A testimony is read against several clauses: rows ready for the first three.
    extra = 3
    classes = ["clause-links"]

    class Media:
        css = {"all": ["css/admin-clause-links.css"]}

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return 1 if obj is not None and obj.pk else self.extra

    def get_queryset(self, request: HttpRequest) -> QuerySet[TestimonyClause]:
        return super().get_queryset(request).select_related("clause__law")

    @admin.display(description=gettext_lazy("law"))
    def law(self, link: TestimonyClause) -> str:
        """The linked clause's law in full, so "s. 29" is never read without it."""
        return services.law_in_full(link.clause.law) if link.clause_id else "-"


class RightsViolationInline(admin.StackedInline):
    model = RightsViolation
    form = RightsViolationInlineForm
    fields = ["violation_type", "perpetrator", "incident", "note_source", "clauses_breached"]
    autocomplete_fields = ["violation_type", "incident", "clauses_breached"]
    extra = 0

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        # A new account is written with its violations: one row ready.
        return 0 if obj is not None and obj.pk else 1


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


_VERSION_COLUMNS = ("number", "published_at", "correction_note", "title")


class TestimonyVersionInline(admin.TabularInline):
    model = TestimonyVersion
    fields = _VERSION_COLUMNS
    readonly_fields = _VERSION_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Testimony)
class TestimonyAdmin(ImportMixin, WorkflowAdmin):
    actions = [*WorkflowAdmin.actions, "apply_redactions_to_versions"]
    done_messages = {
        "send_to_review": ngettext_lazy(
            "%(count)s testimony sent to review.",
            "%(count)s testimonies sent to review.",
            "count",
        ),
        "publish": ngettext_lazy(
            "%(count)s testimony published.", "%(count)s testimonies published.", "count"
        ),
        "withdraw": ngettext_lazy(
            "%(count)s testimony withdrawn.", "%(count)s testimonies withdrawn.", "count"
        ),
    }
    # Bulk import: upload, preview with per-row errors, confirm. Every row
    # becomes (or updates) a draft; see the testimonies.imports package.
    resource_classes = [imports.TestimonyResource]
    import_formats = imports.IMPORT_FORMATS
    import_template_name = "admin/testimonies/testimony/import.html"

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponseBase:
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
                "stream_mark": mark_safe(streaming.STREAM_MARK),
            },
            request=request,
        )
        head, tail = page.split(streaming.STREAM_MARK, 1)
        rows = streaming.import_rows(
            dataset,
            resource=resource,
            file_name=file_name,
            user=request.user,
            after_batch=lambda result: self.generate_log_entries(result, request),
        )
        response = StreamingHttpResponse(
            streaming.stream_page(
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
        *PUBLICATION_FIELDS,
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The account and its clause links need the page's whole width: at 1280 px the
        # navigation sidebar would push the clause-link table past the screen's edge.
        context["is_nav_sidebar_enabled"] = False
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_list_display(self, request: HttpRequest):
        # Reviewers see at a glance which records still wait for the narrator's consent.
        if request.user.has_perm("testimonies.view_consent"):
            return [*self.list_display[:2], "consent_given", *self.list_display[2:]]
        return self.list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[Testimony]:
        return super().get_queryset(request).select_related("consent")

    @admin.display(description=gettext_lazy("consent"))
    def consent_given(self, testimony: Testimony) -> str:
        consent = getattr(testimony, "consent", None)
        return consent.get_scope_display() if consent else _("None recorded")

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
                raise Refused(str(error)) from error
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
