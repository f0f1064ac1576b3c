from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class TestimoniesConfig(AppConfig):
    name = "testimonies"
    verbose_name = _("Testimonies")

    def ready(self) -> None:
        from archive.search.sqlite.functions import provide_sqlite_functions

        # The search index's triggers and content view call it (migration 0020).
        connection_created.connect(provide_sqlite_functions)
