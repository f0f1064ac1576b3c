"""The editors' workplace. Status changes only through the workflow actions."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from testimonies import indexing, services
from testimonies.models import (
    Authority,
    Outcome,
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
    ViolationType,
)


def _run_workflow(modeladmin, request, queryset, step, done: str) -> None:
    changed = 0
    for record in queryset:
        try:
            step(record=record, by=request.user)
        except services.WorkflowError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{changed} record(s) {done}.", messages.SUCCESS)


class WorkflowAdmin(SimpleHistoryAdmin):
    """Shared by testimonies and incidents: the three workflow actions."""

    actions = ["send_to_review", "publish", "withdraw"]

    @admin.action(description="Send to review", permissions=["send_to_review"])
    def send_to_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run_workflow(self, request, queryset, services.send_to_review, "sent to review")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run_workflow(self, request, queryset, services.publish, "published")

    @admin.action(
        description="Withdraw (consent withdrawn: erases the text for good)",
        permissions=["withdraw"],
    )
    def withdraw(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run_workflow(self, request, queryset, services.withdraw, "withdrawn")

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
            services.publish(record=obj, by=request.user)


class RefreshesSearchAdmin(SimpleHistoryAdmin):
    """For records that feed search facets: any change makes workers rebuild them."""

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        indexing.bump_generation()

    def delete_model(self, request: HttpRequest, obj) -> None:
        super().delete_model(request, obj)
        indexing.bump_generation()


class TestimonyClauseInline(admin.TabularInline):
    model = TestimonyClause
    fields = ["clause", "relation", "note", "paragraph"]
    autocomplete_fields = ["clause"]
    extra = 1


class RightsViolationInlineForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # The inline always sets the testimony, but a new testimony has no pk
        # while forms are validated; the database constraint still holds.
        exclusions.add("testimony")
        return exclusions


class RightsViolationInline(admin.StackedInline):
    model = RightsViolation
    form = RightsViolationInlineForm
    fields = ["violation_type", "perpetrator", "incident", "note", "clauses_breached"]
    autocomplete_fields = ["violation_type", "incident", "clauses_breached"]
    extra = 0


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
class TestimonyAdmin(WorkflowAdmin):
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
    search_fields = ["public_id", "title", "narrator_pseudonym", "summary", "body"]
    readonly_fields = ["public_id", "status", "first_published_at", "published_at", "withdrawn_at"]
    inlines = [TestimonyClauseInline, RightsViolationInline, TestimonyVersionInline]
    fieldsets = [
        (
            "Publication",
            {
                "fields": [
                    "public_id",
                    "status",
                    "first_published_at",
                    "published_at",
                    "withdrawn_at",
                ]
            },
        ),
        (
            "The account",
            {
                "fields": [
                    "title",
                    "narrator_pseudonym",
                    "summary",
                    "body",
                    "content_note",
                    "language",
                ]
            },
        ),
        ("Narrator (kept coarse)", {"fields": ["nationality", "age_group", "work_setting"]}),
        ("Events", {"fields": ["province", "year_of_events", "date_recorded"]}),
        ("Source", {"fields": ["source", "is_sample", "correction_note"]}),
    ]

    def view_on_site(self, obj: Testimony) -> str | None:
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None


@admin.register(RaidIncident)
class RaidIncidentAdmin(WorkflowAdmin):
    list_display = ["__str__", "status", "date", "province", "venue_type", "people_taken"]
    list_filter = ["status", "province", "venue_type", "authorities", "outcomes"]
    search_fields = ["public_id", "title", "description"]
    readonly_fields = ["public_id", "status", "first_published_at", "published_at", "withdrawn_at"]
    autocomplete_fields = ["clauses_invoked", "testimonies"]
    filter_horizontal = ["authorities", "outcomes"]
    date_hierarchy = "date"

    def view_on_site(self, obj: RaidIncident) -> str | None:
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None


@admin.register(ViolationType)
class ViolationTypeAdmin(RefreshesSearchAdmin):
    list_display = ["label", "slug", "is_control", "order"]
    list_filter = ["is_control"]
    search_fields = ["label", "slug", "scope_note"]
    autocomplete_fields = ["clauses"]


@admin.register(RightsViolation)
class RightsViolationAdmin(RefreshesSearchAdmin):
    list_display = ["__str__", "testimony", "incident", "perpetrator"]
    list_filter = ["violation_type", "perpetrator"]
    list_select_related = ["violation_type", "testimony", "incident"]
    search_fields = ["note", "violation_type__label", "testimony__public_id", "testimony__title"]
    autocomplete_fields = ["violation_type", "testimony", "incident", "clauses_breached"]


@admin.register(TestimonyClause)
class TestimonyClauseAdmin(RefreshesSearchAdmin):
    list_display = ["__str__", "testimony", "relation"]
    list_filter = ["relation", "clause__law"]
    list_select_related = ["clause__law", "testimony"]
    search_fields = ["note", "testimony__public_id", "testimony__title", "clause__number"]
    autocomplete_fields = ["testimony", "clause"]


@admin.register(Authority, Outcome)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "slug"]
