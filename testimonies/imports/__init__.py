"""Bulk import of testimonies from a CSV or XLSX file, for the admin and the command.

One resource (django-import-export) defines the columns and checks every
row; the admin's upload, preview and confirm and ``manage.py
import_testimonies`` both use it. The rules that protect narrators hold for
every path: an import creates or updates *drafts* only (the file cannot set a
status or a public id), and a record that has gone to review or beyond is
never changed by a file. Rows are keyed by ``external_ref``, so importing the
same file twice updates, or skips, what the first run wrote; a row whose key
was a withdrawn record's (the ledger keeps its fingerprint) is refused.

The package's door: ``resource`` holds the columns and row checks,
``batches`` reads files and writes them batch by batch (the command),
``streaming`` runs the admin's confirmed import as a page that shows its
progress.
"""

from testimonies.imports.batches import (
    BatchFailed,
    ImportFileError,
    ImportReport,
    RowProblem,
    import_file,
    read_dataset,
    write_batches,
)
from testimonies.imports.resource import IMPORT_FORMATS, TestimonyResource

__all__ = [
    "IMPORT_FORMATS",
    "BatchFailed",
    "ImportFileError",
    "ImportReport",
    "RowProblem",
    "TestimonyResource",
    "import_file",
    "read_dataset",
    "write_batches",
]
