"""The withdrawal ledger in the admin, read-only."""

from django.contrib import admin
from django.http import HttpRequest

from testimonies.models import (
    Withdrawal,
)


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
