"""What ``backup`` and ``restore`` share: a progress bar, and their errors as CommandErrors."""

from collections.abc import Callable
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive import dbfiles
from archive.progress import ProgressBar


class DatabaseFileCommand(BaseCommand):
    """A command that copies the database to or from one file through ``archive.dbfiles``."""

    progress_label = ""

    def copy(self, operation: Callable[..., object], path: Path) -> None:
        """``dbfiles.backup`` or ``dbfiles.restore`` on ``path``, with a bar on stderr.

        The bar is made at the first report, the first moment the total is
        known. A BackupError ends the command with its message alone: it is
        the operator's to act on, not a traceback.
        """
        bars: list[ProgressBar] = []

        def progress(done: int, total: int) -> None:
            if not bars:
                bars.append(ProgressBar(total, label=self.progress_label, stream=self.stderr))
            bars[0].update(done)

        try:
            operation(path, progress=progress)
        except dbfiles.BackupError as error:
            raise CommandError(str(error)) from None
