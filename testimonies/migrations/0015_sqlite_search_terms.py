"""SQLite: a second FTS5 table holding every word and run of up to four words.

FTS5 matches a phrase by reading the word positions of every document that
holds all its words; for a phrase of common words at 100,000 testimonies that
was half of the search request. Here each run of adjacent words is one token
(``archive.search.terms``), so such a phrase is one token's list of documents.
The table keeps no text, no positions and no sizes (``content=''``,
``detail=none``, ``columnsize=0``); ranking and longer phrases still use the
positional table.

The triggers compute the terms with ``archive_search_terms()``, which this
migration gives the connection it runs on (the archive gave it every SQLite
connection while the table existed). A contentless table forgets a row only
when given its terms again, which the delete and update triggers do from the
old text. Migration 0020 drops the table and its triggers.
"""

from django.db import migrations

TABLE = "testimonies_searchdocument_terms"
# Joins the words of a run into one FTS5 token: a private-use character, which
# the tokenizer keeps inside a token (category Co) and no word ever contains.
RUN_JOINER = "\ue000"
TERM_MAX_WORDS = 4


def _terms(text):
    """Each word and each run of 2 to TERM_MAX_WORDS adjacent words, once each."""
    words = text.split()
    return " ".join(
        dict.fromkeys(
            RUN_JOINER.join(words[start:end])
            for start in range(len(words))
            for end in range(start + 1, min(start + TERM_MAX_WORDS, len(words)) + 1)
        )
    )


def provide_terms_function(connection):
    """What the triggers call, on this connection."""
    connection.ensure_connection()
    connection.connection.create_function("archive_search_terms", 1, _terms, deterministic=True)

FORWARD = [
    f"""
    CREATE VIRTUAL TABLE {TABLE} USING fts5(
        terms,
        content='',
        detail=none,
        columnsize=0,
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    )
    """,
    f"""
    CREATE TRIGGER {TABLE}_ai AFTER INSERT ON testimonies_searchdocument
    BEGIN
        INSERT INTO {TABLE}(rowid, terms)
        VALUES (new.testimony_id, archive_search_terms(new.text));
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_ad AFTER DELETE ON testimonies_searchdocument
    BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, terms)
        VALUES ('delete', old.testimony_id, archive_search_terms(old.text));
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_au AFTER UPDATE ON testimonies_searchdocument
    BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, terms)
        VALUES ('delete', old.testimony_id, archive_search_terms(old.text));
        INSERT INTO {TABLE}(rowid, terms)
        VALUES (new.testimony_id, archive_search_terms(new.text));
    END
    """,
    f"""
    INSERT INTO {TABLE}(rowid, terms)
    SELECT testimony_id, archive_search_terms(text) FROM testimonies_searchdocument
    """,
]
BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            provide_terms_function(schema_editor.connection)
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0014_search_terms_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
