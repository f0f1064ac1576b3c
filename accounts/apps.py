from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the admin's config below lives here too
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from accounts import checks  # noqa: F401  (registers the system checks)


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """The admin app with our two-factor site as ``admin.site``, so every
    ``@admin.register`` in the apps lands on it without naming it."""

    default = False
    default_site = "accounts.admin_site.ArchiveAdminSite"
