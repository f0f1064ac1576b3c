"""PostgreSQL: keep the search documents' heap narrow.

A word in nearly every testimony makes the GIN bitmap visit every heap page
of the table. With the text and tsvector stored inline that was ~17,000
pages at 100,000 testimonies; moving them to TOAST leaves ~1,000, and the
match query no longer reads the documents at all. New rows follow the
setting at once; an existing large table needs one VACUUM FULL.
"""

from django.db import migrations


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE testimonies_searchdocument SET (toast_tuple_target = 128)"
        )


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE testimonies_searchdocument RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0005_facet_covering_indexes")]

    operations = [migrations.RunPython(narrow, widen)]
