"""Releases in the admin: a list to read, and a button for reviewers to make the next one."""

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from releases.models import Release
from releases.services import build_release

# Making a release is publishing: the same people who publish records may do it.
MAKE_PERMISSION = "releases.add_release"


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "completed_at", "amended_at", "created_by"]
    readonly_fields = [
        "number",
        "created_at",
        "completed_at",
        "created_by",
        "counts",
        "withdrawn_since_previous",
        "amended_at",
    ]
    change_list_template = "admin/releases/release/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # releases are made by the button (or the command), not typed in

    def has_change_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False  # a release's address is permanent

    def get_urls(self):
        return [
            path(
                "make/",
                self.admin_site.admin_view(require_POST(self.make_release)),
                name="releases_release_make",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra = {**(extra_context or {}), "can_make": request.user.has_perm(MAKE_PERMISSION)}
        return super().changelist_view(request, extra_context=extra)

    def make_release(self, request: HttpRequest) -> HttpResponseRedirect:
        if not request.user.has_perm(MAKE_PERMISSION):
            raise PermissionDenied
        # admin_view lets only logged-in staff here, so the user is never anonymous.
        assert isinstance(request.user, User)
        release = build_release(by=request.user)
        self.message_user(
            request,
            _("Release %(number)s is made: %(testimonies)s testimonies.")
            % {"number": release.number, "testimonies": release.counts.get("testimonies", 0)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:releases_release_changelist"))
