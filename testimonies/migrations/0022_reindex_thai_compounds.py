"""Rebuild the search documents: Thai compounds are now indexed as their parts.

The tokenizer splits compounds of a curated prefix (``archive.search.thai``),
so ``การบุกค้น`` is stored as ``การ บุก ค้น`` and ``บุกค้น`` finds it. A query is
tokenized the new way as soon as the code runs, so documents stored the old
way would no longer match their own compounds: every document is written
again, with the index's own rebuild. The database keeps its indexes in step:
SQLite's triggers remove each old row from both FTS5 tables with its old text
and add the new one, PostgreSQL recomputes its generated columns, and the
generation triggers renew the token, so no worker keeps stale facet data.

The rebuild reads the current models, not this migration's historical ones;
it runs only where documents exist, so a new database migrating from empty
never reaches it. Reversing it leaves the new documents, which the old
tokenizer still finds by their whole words.
"""

import sys

from django.db import migrations


def _progress(done: int, total: int) -> None:
    # A migration has no verbosity; a large archive takes minutes, so say how far.
    sys.stdout.write(f"\n  Rebuilt {done} of {total} search documents")
    sys.stdout.flush()


def rebuild_search_documents(apps, schema_editor):
    documents = apps.get_model("testimonies", "SearchDocument")
    if not documents.objects.using(schema_editor.connection.alias).exists():
        return
    from testimonies.search.index import rebuild_index

    rebuild_index(progress=_progress)


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0021_facet_change_log"),
    ]

    operations = [
        migrations.RunPython(rebuild_search_documents, migrations.RunPython.noop, elidable=True),
    ]
