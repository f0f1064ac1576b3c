"""A release's files: each table as CSV and JSON, and all of them in one SQLite database.

CSV and JSON are written side by side from one pass over the rows, and the
SQLite file is filled from the JSON, so the three hold the same rows in the
same order. The JSON puts one row on each line: still plain JSON to any
reader, and a withdrawal can rewrite it a line at a time instead of loading it
whole.
"""

import csv
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from releases.tables import Row, Table, Value

SQLITE_NAME = "archive.sqlite"
SUMS_NAME = "SHA256SUMS"

_SQL_TYPES = {
    "string": "TEXT",
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "date": "TEXT",
    "datetime": "TEXT",
}


def csv_name(table: Table) -> str:
    return f"{table.name}.csv"


def json_name(table: Table) -> str:
    return f"{table.name}.json"


def csv_cell(value: Value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def row_digest(row: Row) -> str:
    """The changelog's fingerprint of a record: any change to what it says changes it."""
    return hashlib.sha256(json.dumps(row, ensure_ascii=False).encode()).hexdigest()


# --- SQLite --------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> list[str]:
    lines = [
        f"{_quote(c.name)} {_SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}"
        for c in table.columns
    ]
    lines.append(f"PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    for fk in table.foreign_keys:
        lines.append(
            f"FOREIGN KEY ({', '.join(map(_quote, fk.columns))}) REFERENCES "
            f"{_quote(fk.table)} ({', '.join(map(_quote, fk.table_columns))})"
        )
    statements = [f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"]
    # Datasette follows foreign keys to show labels and facets: index them.
    for fk in table.foreign_keys:
        if fk.columns != table.primary_key[: len(fk.columns)]:
            index = f"{table.name}_{'_'.join(fk.columns)}_idx"
            statements.append(
                f"CREATE INDEX {_quote(index)} ON {_quote(table.name)} "
                f"({', '.join(map(_quote, fk.columns))})"
            )
    return statements


# --- writing a table -----------------------------------------------------------------


class _JSONArray:
    """Writes ``[``, the header, one row per line, ``]``: plain JSON (an array of
    arrays, as a CSV reads), that can be rewritten a line at a time. An array of
    objects would name every column on every row, and an empty table could not
    say which columns it has."""

    def __init__(self, stream: IO[str], columns: list[str]) -> None:
        self.stream = stream
        stream.write("[\n" + json.dumps(columns, ensure_ascii=False))

    def write(self, row: Row) -> None:
        self.stream.write(",\n" + json.dumps(list(row), ensure_ascii=False))

    def close(self) -> None:
        self.stream.write("\n]\n")


def json_lines(path: Path) -> Iterator[list[Value]]:
    """The header, then every row, of a table's JSON file, one line at a time."""
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            text = line.rstrip("\n").rstrip(",")
            if text not in ("[", "]"):
                yield json.loads(text)


@contextmanager
def _table_writers(folder: Path, table: Table) -> Iterator[Callable[[Row], None]]:
    with (
        open(folder / csv_name(table), "w", encoding="utf-8", newline="") as csv_file,
        open(folder / json_name(table), "w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(table.column_names)
        array = _JSONArray(json_file, table.column_names)

        def write(row: Row) -> None:
            writer.writerow([csv_cell(v) for v in row])
            array.write(row)

        yield write
        array.close()


def write_table(
    folder: Path, table: Table, rows: Iterable[Row], *, on_row: Callable[[Row], None] | None = None
) -> int:
    """Write one table's rows to its CSV and JSON files; the number of rows."""
    count = 0
    with _table_writers(folder, table) as write:
        for row in rows:
            write(row)
            if on_row:
                on_row(row)
            count += 1
    return count


def json_rows(path: Path) -> Iterator[Row]:
    """The rows of a table's JSON file, without the header."""
    lines = json_lines(path)
    next(lines)
    for values in lines:
        yield tuple(values)


def build_sqlite(folder: Path, tables: Iterable[Table], *, batch: int = 2000) -> None:
    """The SQLite file, written whole from the tables' JSON files.

    Always a new file, never a database edited in place: a row removed at a
    withdrawal then leaves no free page, journal or index entry holding it.
    """
    temporary = folder / (SQLITE_NAME + ".new")
    temporary.unlink(missing_ok=True)
    database = sqlite3.connect(temporary, isolation_level=None)
    try:
        # A half-written file is thrown away, so it needs no journal.
        database.execute("PRAGMA journal_mode=OFF")
        database.execute("PRAGMA synchronous=OFF")
        database.execute("BEGIN")
        for table in tables:
            for statement in create_table_sql(table):
                database.execute(statement)
            insert = (
                f"INSERT INTO {_quote(table.name)} VALUES ({', '.join('?' * len(table.columns))})"
            )
            pending: list[Row] = []
            for row in json_rows(folder / json_name(table)):
                pending.append(row)
                if len(pending) >= batch:
                    database.executemany(insert, pending)
                    pending.clear()
            database.executemany(insert, pending)
        database.execute("COMMIT")
        database.execute("ANALYZE")
    finally:
        database.close()
    with open(temporary, "rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(temporary, folder / SQLITE_NAME)


# --- checksums ---------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_sums(folder: Path, sums: dict[str, str]) -> None:
    """SHA256SUMS (name -> digest) in the format ``sha256sum -c`` reads."""
    replace_file(
        folder / SUMS_NAME,
        "".join(f"{sums[name]}  {name}\n" for name in sorted(sums)).encode(),
    )


def replace_file(path: Path, content: bytes) -> None:
    """Write a file whole, then put it in place: a reader sees the old one or the new one."""
    temporary = path.with_name(path.name + ".new")
    with open(temporary, "wb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
