"""PostgreSQL: index every word and every run of two to four adjacent words.

GIN keeps no word positions, so a phrase over the tsvector index was checked
row by row: "sit on the floor", in 85% of 100,000 testimonies, re-read 85,000
tsvectors (~280 ms). Here each run of adjacent tokens is a term of its own
(``'sit on the floor'``), so such a phrase is one index lookup with nothing
to re-read. The terms are computed from ``text`` (our tokens, separated by
single spaces) by the database, so the index can never disagree with it.
The tsvector column stays, for ranking. A phrase of more than four words is
found from its runs, then checked on the text.

A document whose terms would overflow a tsvector (over ~1 MB of terms,
i.e. more than ~100,000 characters of text) gets its single words and the
marker term ``' *'`` instead; no token can start with a space, and the engine
checks such documents on their text (``archive.search.postgres``).
"""

from django.db import migrations

FORWARD = [
    """
    CREATE FUNCTION testimonies_search_terms(doc text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        word text;
        previous1 text;
        previous2 text;
        previous3 text;
        term text;
        terms text[] := '{}';
        term_count int := 0;
        words text[] := '{}';
        word_count int := 0;
        bytes int := 0;
        overflow boolean := false;
    BEGIN
        FOREACH word IN ARRAY string_to_array(doc, ' ') LOOP
            -- tsvector's limits: 2,047 bytes a term, ~1 MB of terms in all. A
            -- query cannot name a longer term either (archive.search.query).
            CONTINUE WHEN word = '';
            IF octet_length(word) > 2047 THEN
                -- Not indexed, and the words on either side are not adjacent.
                previous1 := NULL;
                previous2 := NULL;
                previous3 := NULL;
                CONTINUE;
            END IF;
            -- Assignment by subscript extends an array in place; || copies it.
            word_count := word_count + 1;
            words[word_count] := word;
            IF NOT overflow THEN
                FOREACH term IN ARRAY ARRAY[
                    word,
                    previous1 || ' ' || word,
                    previous2 || ' ' || previous1 || ' ' || word,
                    previous3 || ' ' || previous2 || ' ' || previous1 || ' ' || word
                ] LOOP
                    CONTINUE WHEN term IS NULL OR octet_length(term) > 2047;
                    bytes := bytes + octet_length(term);
                    term_count := term_count + 1;
                    terms[term_count] := term;
                END LOOP;
                overflow := bytes > 1000000;
            END IF;
            previous3 := previous2;
            previous2 := previous1;
            previous1 := word;
        END LOOP;
        IF overflow THEN
            words[word_count + 1] := ' *';
            RETURN array_to_tsvector(words);
        END IF;
        RETURN array_to_tsvector(terms);
    END
    $$
    """,
    """
    CREATE INDEX testimonies_searchdocument_terms ON testimonies_searchdocument
    USING gin (testimonies_search_terms(text))
    """,
    # ANALYZE would otherwise compute the terms of its whole sample (30,000
    # documents, ~30 s) to gather statistics the plans do not need.
    "ALTER INDEX testimonies_searchdocument_terms ALTER COLUMN 1 SET STATISTICS 0",
    # Every match now goes through the terms index.
    "DROP INDEX testimonies_searchdocument_tsv",
]
BACKWARD = [
    "CREATE INDEX testimonies_searchdocument_tsv ON testimonies_searchdocument USING gin (tsv)",
    "DROP INDEX testimonies_searchdocument_terms",
    "DROP FUNCTION testimonies_search_terms(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0013_translatable_field_labels")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
