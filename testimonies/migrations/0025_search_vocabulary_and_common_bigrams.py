"""PostgreSQL: a vocabulary of the words as written, and an index of pairs of common words.

1. A vocabulary for "Did you mean ...?".

The spelling hint asks which of a few hundred candidates the index holds, and
in how many documents. The GIN index holds stems, so each candidate cost a
probe of the index and a read of the documents' text: 85 ms for the
candidates of one misspelt word at 10,000 testimonies, more under load. ``testimonies_searchword`` holds each word as
written in the search documents (``text``) with the number of documents
holding it, so the question is one lookup of its primary key, as SQLite's
``fts5vocab`` answers it.

Statement-level triggers on ``testimonies_searchdocument`` keep it in step in
the writer's own transaction (one aggregate per statement, so a bulk insert of
a thousand documents is one update of the vocabulary): a word goes when the
last document holding it goes. The search documents are those of published
testimonies only, so a word only a draft or a withdrawn testimony holds is
never here. Rows are changed in word order, so two writers cannot deadlock;
they do wait on each other's common words until the first commits.

Words longer than a tsvector lexeme may be (2,047 bytes) are left out: the
engine never asks for them, and a btree key cannot hold them.

2. Pairs of adjacent stems whose first is a common word, for phrases.

A phrase is looked up as all its stems, and every document holding them is
read to check the phrase: for "sit on the floor" or "the police", most of the
archive. ``testimonies_search_bigrams(stems)`` gives a document's pairs of
adjacent stems of which the first is in a fixed list of common words
(``archive.search.postgres.commongrams``, written out here: the list must be
the one the engine asks with, and changing it needs a migration that replaces
the function and rebuilds the index). A GIN index over that expression narrows
a phrase of common words to the documents holding its pairs; nothing is added
to the rows.

SQLite answers from ``fts5vocab`` and its positional FTS5 index, and gets
nothing here.
"""

import sys
from collections import Counter

from django.db import migrations

DOCS = "testimonies_searchdocument"
WORDS = "testimonies_searchword"
# archive.search.postgres.syntax.MAX_TERM_BYTES, written out: migrations stay fixed.
MAX_WORD_BYTES = 2047
BATCH = 2000


def _apply(rows: str) -> str:
    """Add ``change`` (1 or -1) to the count of every word of ``rows`` (text, change)."""
    return f"""
        WITH changed AS (
            INSERT INTO {WORDS} AS v (word, documents)
            SELECT word, sum(change) FROM (
                SELECT DISTINCT d.id, d.change, w.word
                FROM ({rows}) AS d, unnest(string_to_array(d.text, ' ')) AS w(word)
                WHERE octet_length(w.word) BETWEEN 1 AND {MAX_WORD_BYTES}
            ) AS held
            GROUP BY word HAVING sum(change) <> 0
            ORDER BY word
            ON CONFLICT (word) DO UPDATE SET documents = v.documents + excluded.documents
            RETURNING word, documents
        )
        SELECT array_agg(word) FROM changed WHERE documents <= 0
    """


def _trigger_function(name: str, rows: str) -> str:
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger AS $$
        DECLARE
            emptied text[];
        BEGIN
            {_apply(rows)} INTO emptied;
            IF emptied IS NOT NULL THEN
                DELETE FROM {WORDS} WHERE word = ANY(emptied);
            END IF;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
    """


TRIGGERS = {
    "INSERT": "SELECT testimony_id AS id, text, 1 AS change FROM new_rows",
    "DELETE": "SELECT testimony_id AS id, text, -1 AS change FROM old_rows",
    # Words in both the old and the new text add up to no change.
    "UPDATE": (
        "SELECT testimony_id AS id, text, -1 AS change FROM old_rows "
        "UNION ALL SELECT testimony_id AS id, text, 1 AS change FROM new_rows"
    ),
}
TRANSITIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


# archive.search.postgres.commongrams.COMMON_STEMS and MAX_PAIR_BYTES, written out.
COMMON_STEMS = [
    "a", "all", "an", "and", "are", "as", "at", "be", "but", "by", "can", "for",
    "from", "have", "he", "his", "i", "if", "in", "is", "it", "just", "like", "me",
    "my", "not", "of", "on", "one", "or", "polic", "so", "that", "the", "they",
    "this", "to", "was", "we", "will", "with", "you", "your",
    "ที่", "การ", "ใน", "มี", "ของ", "เป็น", "จะ", "ไม่", "และ", "ความ", "ได้",
    "ให้", "ไป", "ก็", "ว่า", "มา", "ตำรวจ",
]  # fmt: skip
MAX_PAIR_BYTES = 2000
# In units of one operator (cpu_operator_cost): what reading a document costs.
BIGRAMS_COST = 100000
BIGRAMS = "testimonies_search_bigrams"
BIGRAMS_INDEX = "testimonies_searchdocument_bigrams"
_COMMON_ARRAY = "ARRAY[" + ", ".join(f"'{word}'" for word in COMMON_STEMS) + "]::text[]"

POSTGRES_BIGRAMS = [
    # IMMUTABLE: the same stems always give the same pairs, so the index may
    # hold its results. The pairs in order of first appearance, once each.
    # COST: it reads a whole document, about 1.5 ms; at the default cost of
    # one operator the planner checked the pairs row by row on the few
    # documents it expected from the stems' index (237 for "took an x-ray",
    # 235 ms) instead of asking this index (7 ms).
    f"""
    CREATE FUNCTION {BIGRAMS}(stems text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST {BIGRAMS_COST} AS $$
        SELECT coalesce(array_agg(pair ORDER BY first_at), '{{}}') FROM (
            SELECT pair, min(at) AS first_at FROM (
                SELECT at, word || ' ' || next AS pair FROM (
                    SELECT at, word, common, lead(word) OVER (ORDER BY at) AS next
                    FROM (
                        SELECT at, word, word = ANY({_COMMON_ARRAY}) AS common
                        FROM unnest(string_to_array(stems, ' ')) WITH ORDINALITY AS t(word, at)
                    ) AS words
                ) AS adjacent
                WHERE next IS NOT NULL AND common
            ) AS pairs
            WHERE octet_length(pair) <= {MAX_PAIR_BYTES}
            GROUP BY pair
        ) AS once
    $$
    """,
    f"CREATE INDEX {BIGRAMS_INDEX} ON {DOCS} USING gin ({BIGRAMS}(stems))",
]
POSTGRES_BIGRAMS_BACKWARD = [
    f"DROP INDEX IF EXISTS {BIGRAMS_INDEX}",
    f"DROP FUNCTION IF EXISTS {BIGRAMS}(text)",
]


def _function(operation: str) -> str:
    return f"{WORDS}_{operation.lower()}"


POSTGRES_FORWARD = [
    # "C": words compare as bytes; equality is all the lookup needs.
    f"""
    CREATE TABLE {WORDS} (
        word text COLLATE "C" PRIMARY KEY,
        documents integer NOT NULL
    )
    """,
    *(_trigger_function(_function(operation), rows) for operation, rows in TRIGGERS.items()),
    *(
        f"CREATE TRIGGER {_function(operation)} AFTER {operation} ON {DOCS} "
        f"REFERENCING {TRANSITIONS[operation]} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_function(operation)}()"
        for operation in TRIGGERS
    ),
    # TRUNCATE fires no DELETE trigger (the tests' flush truncates).
    f"""
    CREATE FUNCTION {WORDS}_truncate() RETURNS trigger AS $$
    BEGIN
        TRUNCATE {WORDS};
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"CREATE TRIGGER {WORDS}_truncate AFTER TRUNCATE ON {DOCS} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {WORDS}_truncate()",
]

POSTGRES_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {_function(op)} ON {DOCS}" for op in [*TRIGGERS, "TRUNCATE"]),
    *(f"DROP FUNCTION IF EXISTS {_function(op)}()" for op in [*TRIGGERS, "TRUNCATE"]),
    f"DROP TABLE IF EXISTS {WORDS}",
]


def _fill(schema_editor) -> None:
    """The words of every document already indexed, with progress for a large archive.

    Counted here and written once, in word order: updating the common words'
    rows batch after batch would leave a dead row version per batch.
    """
    counts: Counter[str] = Counter()
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
            for _, text in rows:
                counts.update(
                    word
                    for word in set(text.split(" "))
                    if word and len(word.encode()) <= MAX_WORD_BYTES
                )
            last = rows[-1][0]
            done += len(rows)
            if total > BATCH:
                sys.stdout.write(f"\n  words of {done:,} of {total:,} search documents")
                sys.stdout.flush()
        words = sorted(counts)
        cursor.execute(
            f"INSERT INTO {WORDS} (word, documents) "
            "SELECT * FROM unnest(%s::text[], %s::integer[])",
            [words, [counts[word] for word in words]],
        )


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_FORWARD:
        schema_editor.execute(statement)
    _fill(schema_editor)
    for statement in POSTGRES_BIGRAMS:
        schema_editor.execute(statement)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in POSTGRES_BIGRAMS_BACKWARD + POSTGRES_BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0024_search_head")]

    operations = [migrations.RunPython(forward, backward)]
