from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The project package as an app, for what is the whole site's rather than one app's:
    the ``backup`` and ``restore`` commands beside ``archive/dbfiles.py``. No models."""

    name = "archive"
    verbose_name = "Archive"
