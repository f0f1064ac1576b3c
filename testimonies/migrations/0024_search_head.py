"""The head of a search document (title, pseudonym, summary) is indexed apart, to weigh more.

A search document's text starts with its head; two lengths say where it ends
(``head_length`` in the text, ``head_stems_length`` in the stems on
PostgreSQL), so nothing is stored twice. Existing documents get them from
their testimony's head, tokenised again (the body is not).

- SQLite: the FTS5 table gets a third column, the stems of the head, computed
  from the text by the content view and the triggers like the other two; bm25
  weighs it with the engine's column weights. A second, small FTS5 table
  indexes the head's stems alone, over the same view: in the large table a
  column filter still reads every document holding a common word (~90,000),
  in this one only those with it in their head. The table and its view are
  made again, and so are the search document's triggers (adding the columns
  rebuilds the table, which drops them): those of the indexes and the
  generation triggers of 0021.
- PostgreSQL: ``head_tsv``, the tsvector of the head's stems, with a GIN index
  of its own: the documents holding a word in their head are found without
  reading the large tsvectors.
"""

import importlib
import sys

from django.db import migrations, models

from archive.search.sqlite.functions import provide_sqlite_functions

FTS = "testimonies_searchdocument_fts"
HEAD_FTS = "testimonies_searchdocument_head_fts"
DOCS = "testimonies_searchdocument"
FORMS_VIEW = "testimonies_searchdocument_forms"
BATCH = 2000

_log = importlib.import_module("testimonies.migrations.0021_facet_change_log")

# The statements of 0021 that make the search document's own generation triggers.
GENERATION_TRIGGERS = [
    statement for statement in _log._sqlite_forward() if f" ON {DOCS} " in statement
]
DROP_GENERATION_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {DOCS}_generation_{suffix}" for suffix in _log.OPERATIONS
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {DOCS}_au",
    f"DROP TRIGGER IF EXISTS {DOCS}_ad",
    f"DROP TRIGGER IF EXISTS {DOCS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
    f"DROP TABLE IF EXISTS {HEAD_FTS}",
    f"DROP VIEW IF EXISTS {FORMS_VIEW}",
    *DROP_GENERATION_TRIGGERS,
]
TOKENIZE = "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\""
TEXT = ("text", "{row}.text")
STEMS = ("stems", "archive_search_stems({row}.text)")
HEAD = ("head", "archive_search_stems(substr({row}.text, 1, {row}.head_length))")


def _sqlite_create(columns: list[tuple[str, str]], *, head_table: bool) -> list[str]:
    """The view, FTS5 tables and triggers over these (name, value from a row) columns."""
    # (table, its columns): the head table indexes the head column alone.
    tables = [(FTS, columns)] + ([(HEAD_FTS, [HEAD])] if head_table else [])

    def values(row: str, chosen: list[tuple[str, str]], *, named: bool = False) -> str:
        return ", ".join(
            value.format(row=row) + (f" AS {name}" if named else "") for name, value in chosen
        )

    def insert(table: str, chosen: list[tuple[str, str]]) -> str:
        names = ", ".join(name for name, _value in chosen)
        return f"INSERT INTO {table}(rowid, {names}) VALUES (new.testimony_id, {values('new', chosen)});"

    def delete(table: str, chosen: list[tuple[str, str]]) -> str:
        names = ", ".join(name for name, _value in chosen)
        return (
            f"INSERT INTO {table}({table}, rowid, {names}) "
            f"VALUES ('delete', old.testimony_id, {values('old', chosen)});"
        )

    inserts = " ".join(insert(table, chosen) for table, chosen in tables)
    deletes = " ".join(delete(table, chosen) for table, chosen in tables)
    statements = [
        f"CREATE VIEW {FORMS_VIEW} AS SELECT testimony_id, "
        f"{values(DOCS, columns, named=True)} FROM {DOCS}"
    ]
    for table, chosen in tables:
        names = ", ".join(name for name, _value in chosen)
        statements.append(
            f"CREATE VIRTUAL TABLE {table} USING fts5({names}, content='{FORMS_VIEW}', "
            f"content_rowid='testimony_id', {TOKENIZE})"
        )
    statements += [
        f"CREATE TRIGGER {DOCS}_ai AFTER INSERT ON {DOCS} BEGIN {inserts} END",
        f"CREATE TRIGGER {DOCS}_ad AFTER DELETE ON {DOCS} BEGIN {deletes} END",
        f"CREATE TRIGGER {DOCS}_au AFTER UPDATE ON {DOCS} BEGIN {deletes} {inserts} END",
        *(f"INSERT INTO {table}({table}) VALUES ('rebuild')" for table, _chosen in tables),
        *GENERATION_TRIGGERS,
    ]
    return statements


SQLITE_CREATE = _sqlite_create([TEXT, STEMS, HEAD], head_table=True)
# 0020's table: the text and its stems.
SQLITE_CREATE_BEFORE = _sqlite_create([TEXT, STEMS], head_table=False)

POSTGRES_CREATE = [
    f"""
    ALTER TABLE {DOCS} ADD COLUMN head_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', left(stems, head_stems_length))) STORED
    """,
    f"CREATE INDEX {DOCS}_head_tsv ON {DOCS} USING gin (head_tsv)",
]
POSTGRES_DROP = [
    f"DROP INDEX IF EXISTS {DOCS}_head_tsv",
    f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS head_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.connection.ensure_connection()
            provide_sqlite_functions(None, schema_editor.connection)
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill_head_lengths(apps, schema_editor) -> None:
    """Where each document's head ends, from its testimony's head; progress for a large archive.

    A document whose text does not start with its testimony's head now (made
    by an older tokeniser) is left with no head: it is still found, only not
    weighed apart, until it is indexed again.
    """
    from archive.search.forms import stems_text
    from archive.search.text import index_text

    stores_stems = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DOCS}")
        total = cursor.fetchone()[0]
        done, last = 0, -1
        while True:
            cursor.execute(
                f"SELECT d.testimony_id, t.title, t.narrator_pseudonym, t.summary, "
                # Enough of the text for its head: Thai words get spaces between them.
                "substr(d.text, 1, 4 * (length(t.title) + length(t.narrator_pseudonym) "
                "+ length(t.summary)) + 16) "
                f"FROM {DOCS} d JOIN testimonies_testimony t ON t.id = d.testimony_id "
                "WHERE d.testimony_id > %s ORDER BY d.testimony_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for testimony_id, title, pseudonym, summary, start in rows:
                head = index_text(title, pseudonym, summary)
                if not (start + " ").startswith(head + " "):
                    head = ""
                updates.append(
                    (len(head), len(stems_text(head)) if stores_stems else 0, testimony_id)
                )
            cursor.executemany(
                f"UPDATE {DOCS} SET head_length = %s, head_stems_length = %s "
                "WHERE testimony_id = %s",
                updates,
            )
            last = rows[-1][0]
            done += len(rows)
            if total > BATCH:
                sys.stdout.write(f"\n  heads of {done:,} of {total:,} search documents")
                sys.stdout.flush()


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0023_clause_version_generation_triggers")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_DROP}), _run({"sqlite": SQLITE_DROP + SQLITE_CREATE_BEFORE})
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="head_length",
            field=models.PositiveIntegerField(
                default=0,
                help_text="How many characters of text are the title, pseudonym and summary.",
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="head_stems_length",
            field=models.PositiveIntegerField(
                default=0, help_text="How many characters of stems are the head's (0 on SQLite)."
            ),
        ),
        migrations.RunPython(fill_head_lengths, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
