from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pages.models import Page
from testimonies.admin.forms import EditVersionForm


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    """The pages are a fixed set: each is rewritten here, never removed.

    A change is public as soon as it is saved; its history keeps every
    earlier text, English and Thai together.
    """

    form = EditVersionForm
    list_display = ["title_en", "slug", "has_thai", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug"]}),
        (_("English"), {"fields": ["title_en", "body_en"]}),
        (_("Thai"), {"fields": ["title_th", "body_th"]}),
    ]

    @admin.display(boolean=True, description=_("Thai text"))
    def has_thai(self, page: Page) -> bool:
        return bool(page.body_th)

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return ["slug"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Only a page that load_archive has not created yet can be added.
        missing = Page.objects.count() < len(Page.Slug.values)
        return missing and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Every page is linked from the footer of every other page.
        return False
