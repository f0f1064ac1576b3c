"""Word forms, and phrases from word positions: the runs-of-words indexes are gone.

Each search document gets ``stems``, the Snowball stem of each of its tokens
(``archive.search.forms``), computed here in Python for the documents already
indexed. The runs-of-words indexes of migrations 0014 (PostgreSQL) and 0015
(SQLite) are dropped: 5 times the text they index on SQLite and 25 times on
PostgreSQL on natural text.

- SQLite: the FTS5 table of 0004 is made again with two columns, the tokens as
  written (for quoted terms) and their stems (for every other term), both with
  word positions; phrases are FTS5 phrase queries. The stems are not stored:
  the triggers and the table's content view compute them from ``text`` with
  ``archive_search_stems()`` (``archive.search.sqlite.functions``, given to
  every connection the archive opens), so ``stems`` stays empty on SQLite.
- PostgreSQL: the tsvector column is now that of the stems, with a GIN index;
  phrases and quoted terms are checked on ``stems`` or ``text``.
"""

import importlib
import sys

from django.db import migrations, models

from archive.search.sqlite.functions import provide_sqlite_functions

FTS = "testimonies_searchdocument_fts"
TERMS = "testimonies_searchdocument_terms"
DOCS = "testimonies_searchdocument"
# What the FTS5 table reads when rebuilt: the text and the stems made from it.
FORMS_VIEW = "testimonies_searchdocument_forms"
BATCH = 2000

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TERMS}_au",
    f"DROP TRIGGER IF EXISTS {TERMS}_ad",
    f"DROP TRIGGER IF EXISTS {TERMS}_ai",
    f"DROP TABLE IF EXISTS {TERMS}",
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_au",
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_ad",
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
SQLITE_CREATE = [
    f"""
    CREATE VIEW {FORMS_VIEW} AS
    SELECT testimony_id, text, archive_search_stems(text) AS stems FROM {DOCS}
    """,
    # Our own tokeniser has already split and normalised the text (Thai
    # segmented); unicode61 must keep Thai combining marks (M*) inside words.
    f"""
    CREATE VIRTUAL TABLE {FTS} USING fts5(
        text,
        stems,
        content='{FORMS_VIEW}',
        content_rowid='testimony_id',
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    )
    """,
    f"""
    CREATE TRIGGER testimonies_searchdocument_ai AFTER INSERT ON {DOCS}
    BEGIN
        INSERT INTO {FTS}(rowid, text, stems)
        VALUES (new.testimony_id, new.text, archive_search_stems(new.text));
    END
    """,
    f"""
    CREATE TRIGGER testimonies_searchdocument_ad AFTER DELETE ON {DOCS}
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, stems)
        VALUES ('delete', old.testimony_id, old.text, archive_search_stems(old.text));
    END
    """,
    f"""
    CREATE TRIGGER testimonies_searchdocument_au AFTER UPDATE ON {DOCS}
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, text, stems)
        VALUES ('delete', old.testimony_id, old.text, archive_search_stems(old.text));
        INSERT INTO {FTS}(rowid, text, stems)
        VALUES (new.testimony_id, new.text, archive_search_stems(new.text));
    END
    """,
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS testimonies_searchdocument_terms",
    "DROP FUNCTION IF EXISTS testimonies_search_terms(text)",
    f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS tsv",
]
POSTGRES_CREATE = [
    # 'simple': no stemming of its own and no stop words; the stems are ours.
    f"""
    ALTER TABLE {DOCS}
    ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', stems)) STORED
    """,
    f"CREATE INDEX testimonies_searchdocument_tsv ON {DOCS} USING gin (tsv)",
]


def _fill_stems(schema_editor) -> None:
    """The stems of every document already indexed, with progress for a large archive."""
    from archive.search.forms import stems_text

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DOCS}")
        total = cursor.fetchone()[0]
        done = 0
        last = -1
        while True:
            cursor.execute(
                f"SELECT testimony_id, text FROM {DOCS} WHERE testimony_id > %s "
                "ORDER BY testimony_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                f"UPDATE {DOCS} SET stems = %s WHERE testimony_id = %s",
                [(stems_text(text), testimony_id) for testimony_id, text in rows],
            )
            last = rows[-1][0]
            done += len(rows)
            if total > BATCH:
                sys.stdout.write(f"\n  stems of {done:,} of {total:,} search documents")
                sys.stdout.flush()


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    drop, create = {
        "sqlite": (SQLITE_DROP, SQLITE_CREATE),
        "postgresql": (POSTGRES_DROP, POSTGRES_CREATE),
    }.get(vendor, ([], []))
    for statement in drop:
        schema_editor.execute(statement)
    if vendor == "sqlite":
        schema_editor.connection.ensure_connection()
        provide_sqlite_functions(None, schema_editor.connection)
    else:
        _fill_stems(schema_editor)
    for statement in create:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    """The indexes of 0004, 0014 and 0015 again, built from ``text``."""
    vendor = schema_editor.connection.vendor
    engine = importlib.import_module("testimonies.migrations.0004_search_engine")
    if vendor == "sqlite":
        terms = importlib.import_module("testimonies.migrations.0015_sqlite_search_terms")
        terms.provide_terms_function(schema_editor.connection)
        statements = (
            SQLITE_DROP[4:] + [f"DROP VIEW IF EXISTS {FORMS_VIEW}"] + engine.SQLITE_FORWARD
        ) + terms.FORWARD
    elif vendor == "postgresql":
        runs = importlib.import_module("testimonies.migrations.0014_search_terms_index")
        statements = [
            "DROP INDEX IF EXISTS testimonies_searchdocument_tsv",
            f"ALTER TABLE {DOCS} DROP COLUMN IF EXISTS tsv",
            *engine.POSTGRES_FORWARD,
            *runs.FORWARD,
        ]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


_generation_triggers = importlib.import_module("testimonies.migrations.0018_generation_triggers")


def recreate_generation_triggers(apps, schema_editor):
    # Adding a column with a default rebuilds the table on SQLite, and a rebuilt
    # table loses its triggers: the index generation triggers of 0018 with them.
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _generation_triggers._sqlite_backward() + _generation_triggers._sqlite_forward():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0019_bilingual_vocabularies_and_notes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="stems",
            field=models.TextField(
                blank=True,
                default="",
                help_text="The stem of each token of text, one for one (empty on SQLite).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward),
        migrations.RunPython(recreate_generation_triggers, recreate_generation_triggers),
    ]
