"""Create the full-text index for the database in use.

The Django model state is the same on every database; only the DDL differs,
and it is chosen when the migration runs, not when it is imported.
"""

from django.db import migrations

SQLITE_FORWARD = [
    # Our own tokeniser has already split and normalised the text (Thai
    # segmented); unicode61 must keep Thai combining marks (M*) inside words.
    """
    CREATE VIRTUAL TABLE testimonies_searchdocument_fts USING fts5(
        text,
        content='testimonies_searchdocument',
        content_rowid='testimony_id',
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    )
    """,
    """
    CREATE TRIGGER testimonies_searchdocument_ai AFTER INSERT ON testimonies_searchdocument
    BEGIN
        INSERT INTO testimonies_searchdocument_fts(rowid, text)
        VALUES (new.testimony_id, new.text);
    END
    """,
    """
    CREATE TRIGGER testimonies_searchdocument_ad AFTER DELETE ON testimonies_searchdocument
    BEGIN
        INSERT INTO testimonies_searchdocument_fts(testimonies_searchdocument_fts, rowid, text)
        VALUES ('delete', old.testimony_id, old.text);
    END
    """,
    """
    CREATE TRIGGER testimonies_searchdocument_au AFTER UPDATE ON testimonies_searchdocument
    BEGIN
        INSERT INTO testimonies_searchdocument_fts(testimonies_searchdocument_fts, rowid, text)
        VALUES ('delete', old.testimony_id, old.text);
        INSERT INTO testimonies_searchdocument_fts(rowid, text)
        VALUES (new.testimony_id, new.text);
    END
    """,
    "INSERT INTO testimonies_searchdocument_fts(testimonies_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_au",
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_ad",
    "DROP TRIGGER IF EXISTS testimonies_searchdocument_ai",
    "DROP TABLE IF EXISTS testimonies_searchdocument_fts",
]

POSTGRES_FORWARD = [
    # 'simple': no stemming and no stop words, so both engines match the same words.
    """
    ALTER TABLE testimonies_searchdocument
    ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
    """,
    "CREATE INDEX testimonies_searchdocument_tsv ON testimonies_searchdocument USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS testimonies_searchdocument_tsv",
    "ALTER TABLE testimonies_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0003_search_document")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
