"""What the full-text engine indexes, and the token that says when it changed."""

from django.db import models

from testimonies.models.testimony import Testimony


class SearchDocument(models.Model):
    """What the full-text engine indexes for one published testimony.

    A row exists only while its testimony is published, and holds only public
    fields, already tokenised by ``archive.search.text`` (Thai segmented), and
    on PostgreSQL the Snowball stem of each token (``archive.search.forms``;
    SQLite's index computes them from the text and stores no copy). The text
    starts with the head (title, pseudonym, summary), whose matches weigh more
    in the order of relevance: ``head_length`` says where it ends. The
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
    # The head (title, pseudonym, summary) is the start of the text: two lengths
    # say where it ends, so the engines can weigh it apart without a copy of it.
    head_length = models.PositiveIntegerField(
        default=0, help_text="How many characters of text are the title, pseudonym and summary."
    )
    head_stems_length = models.PositiveIntegerField(
        default=0, help_text="How many characters of stems are the head's (0 on SQLite)."
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


class FacetChange(models.Model):
    """One testimony whose facet values may have changed, in commit order.

    Written by the database's own triggers in the writer's transaction, right
    after they renew the generation token: a worker holding the facet columns
    as of change N re-reads only the testimonies named after N instead of
    every testimony. A row without a testimony (a renamed law, a published
    raid, a new vocabulary entry, a restored backup) says "read everything".

    ``token`` is the generation token the change set. A worker checks that
    the row it stopped at still carries the token it saw: ids alone can come
    back (a restored backup, a rolled-back transaction on SQLite), random
    tokens cannot, and a pruned row is simply missing.
    """

    id = models.BigAutoField(primary_key=True)
    testimony_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The testimony to read again; empty when every testimony must be.",
    )
    token = models.CharField(max_length=32, help_text="The generation token this change set.")

    def __str__(self) -> str:
        return f"Change {self.id}: {self.testimony_id or 'everything'}"
