"""What the full-text engine indexes, and the token that says when it changed."""

from django.db import models

from testimonies.models.testimony import Testimony


class SearchDocument(models.Model):
    """What the full-text engine indexes for one published testimony.

    A row exists only while its testimony is published, and holds only public
    fields, already tokenised by ``archive.search.text`` (Thai segmented), and
    on PostgreSQL the Snowball stem of each token (``archive.search.forms``;
    SQLite's index computes them from the text and stores no copy). The
    engine's own index (FTS5 table or tsvector column, created by migration
    for the database in use) is kept in step with them by the database.
    """

    testimony = models.OneToOneField(
        Testimony, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    text = models.TextField(help_text="Tokenised public text: title, pseudonym, summary, body.")
    stems = models.TextField(
        blank=True, help_text="The stem of each token of text, one for one (empty on SQLite)."
    )

    def __str__(self) -> str:
        return f"Search document for {self.testimony_id}"


class IndexGeneration(models.Model):
    """A token renewed whenever public search data changes.

    Every worker process keeps facet data in memory; comparing this token on
    each request tells it, cheaply and exactly, when to rebuild. A random
    token rather than a counter, so a rolled-back change or a restored backup
    can never bring back a value some worker already cached.
    """

    name = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
