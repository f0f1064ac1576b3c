"""Admin building blocks the apps share."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """For rows only the archive itself writes: the withdrawal ledger, former slugs, proposals.

    Whoever the admin lets in may read them; no one adds, edits or deletes
    them there, superusers included: each is evidence of something that
    happened, and its own service is the one way to write it.
    """

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
