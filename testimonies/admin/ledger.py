"""The withdrawal ledger in the admin, read-only."""

from django.contrib import admin
from django.http import HttpRequest

from archive.admin_views import ReadOnlyAdminMixin
from testimonies.models import (
    Withdrawal,
)


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger, read-only, for reviewers (those who may withdraw) only."""

    list_display = ["public_id", "withdrawn_at"]
    search_fields = ["public_id"]
    date_hierarchy = "withdrawn_at"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("testimonies.withdraw_testimony")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)
