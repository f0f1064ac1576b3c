"""The SQL functions the SQLite search index calls, given to every connection the archive opens.

The FTS5 table's triggers and its content view (testimonies migration 0020)
compute a document's stems with ``archive_search_stems(text)``, so SQLite
stores no copy of them: the index holds them, and a document's stems are
made again from its text when the index must forget it. A plain ``sqlite3``
shell has no such function, so search documents can only be written through
the archive.
"""

from typing import Any, Final

from archive.search.forms import stems_text

__all__ = ["STEMS_FUNCTION", "provide_sqlite_functions"]

STEMS_FUNCTION: Final = "archive_search_stems"


def provide_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection ``archive_search_stems()`` (receives connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(STEMS_FUNCTION, 1, stems_text, deterministic=True)
