from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("The archive's own pages")

    def ready(self) -> None:
        from pages import checks  # noqa: F401  (registers the system checks)
