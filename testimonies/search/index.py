"""Keeping the search index and the facet data in step with publication.

Only published testimonies have a search document. Every change that can
alter what search shows renews the index generation token in the same
transaction (database triggers, migrations 0018 and 0020) and logs which
testimonies it touched, so each worker's in-memory facet data is brought up
to date on its next request by reading those testimonies again.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction

from archive.search.engine import get_engine
from archive.search.forms import stems_text
from archive.search.text import index_text
from testimonies.models import FacetChange, IndexGeneration, SearchDocument, Status, Testimony

GENERATION_NAME = "testimonies"

# The token already read for the request being answered (see generation_known).
_known_generation: ContextVar[str | None] = ContextVar("known_generation", default=None)


def document_head(testimony: Testimony) -> str:
    """The tokens of the fields that say what a testimony is about, which weigh more."""
    return index_text(testimony.title, testimony.narrator_pseudonym, testimony.summary)


def document_text(testimony: Testimony) -> str:
    """Only public fields go into the index: the head first, then the body."""
    return join_tokens(document_head(testimony), index_text(testimony.body))


def join_tokens(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def search_document(testimony: Testimony) -> SearchDocument:
    """The unsaved search document of a published testimony: its tokens and their stems.

    The stems are left empty where the engine computes them from the text itself.
    """
    head = document_head(testimony)
    text = join_tokens(head, index_text(testimony.body))
    stores_stems = get_engine().stores_stems
    stems = stems_text(text) if stores_stems else ""
    return SearchDocument(
        testimony=testimony,
        text=text,
        stems=stems,
        head_length=len(head),
        # The stems are one for one with the tokens: the head's are the start of them.
        head_stems_length=len(stems_text(head)) if stores_stems else 0,
    )


# How many changes the log keeps: a worker that has fallen further behind
# (asleep for hours under a busy import) reads everything again.
KEEP_CHANGES = 10_000


@dataclass(frozen=True)
class ChangePosition:
    """A row of the change log: its id and the generation token it set."""

    id: int
    token: str


@dataclass(frozen=True)
class ChangesSince:
    last: ChangePosition
    testimony_ids: list[int]


def bump_generation() -> None:
    """Make every worker read everything again (after a backup is restored)."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        IndexGeneration.objects.update_or_create(name=GENERATION_NAME, defaults={"token": token})
        FacetChange.objects.create(testimony_id=None, token=token)


def last_change() -> ChangePosition | None:
    """The newest logged change.

    Read after the generation token: the facet data read after it is at least
    as new as that token, because a change's token and its log rows commit
    together.
    """
    row = FacetChange.objects.order_by("-id").values_list("id", "token").first()
    return ChangePosition(*row) if row else None


def changes_since(position: ChangePosition, *, limit: int) -> ChangesSince | None:
    """The testimonies changed after ``position``, or None if the log cannot say.

    It cannot when the row at ``position`` is gone (pruned) or carries another
    token (a restored backup, or ids handed out again after a rollback), when
    a change touched everything (a vocabulary, a raid, a restore), or when
    more than ``limit`` changes came since, which a full read does faster.

    Change ids are handed out in commit order (the triggers take the token's
    row lock before logging), so reading "after N" misses no change that
    committed before this read began.
    """
    rows = list(
        FacetChange.objects.filter(id__gte=position.id)
        .order_by("id")
        .values_list("id", "testimony_id", "token")[: limit + 2]
    )
    if not rows or rows[0][0] != position.id or rows[0][2] != position.token:
        return None
    if len(rows) > limit + 1 or any(row[1] is None for row in rows[1:]):
        return None
    return ChangesSince(
        last=ChangePosition(rows[-1][0], rows[-1][2]),
        testimony_ids=sorted({row[1] for row in rows[1:] if row[1] is not None}),
    )


def prune_changes(*, keep: int = KEEP_CHANGES) -> int:
    """Forget all but the newest ``keep`` changes (at least one stays); returns how many went."""
    newest = FacetChange.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    deleted, _ = FacetChange.objects.filter(id__lte=newest - max(keep, 1)).delete()
    return deleted


def current_generation() -> str:
    known = _known_generation.get()
    if known is not None:
        return known
    row = IndexGeneration.objects.filter(name=GENERATION_NAME).values_list("token").first()
    return row[0] if row else ""


@contextmanager
def generation_known(token: str) -> Iterator[None]:
    """Within the block, ``current_generation()`` is ``token``, without asking the database.

    The page cache reads the token for its key and computes the page inside
    this block: the page is computed from the facet data of the generation it
    is remembered under, and the token is read once per request. For reads
    only: a bump inside the block would not be seen.
    """
    reset = _known_generation.set(token)
    try:
        yield
    finally:
        _known_generation.reset(reset)


def sync_testimony(testimony: Testimony) -> None:
    """Index a published testimony, or drop it from the index if it is not published."""
    with transaction.atomic():
        if testimony.status == Status.PUBLISHED and testimony.public_id:
            document = search_document(testimony)
            SearchDocument.objects.update_or_create(
                testimony=testimony,
                defaults={
                    "text": document.text,
                    "stems": document.stems,
                    "head_length": document.head_length,
                    "head_stems_length": document.head_stems_length,
                },
            )
        else:
            SearchDocument.objects.filter(testimony=testimony).delete()


def purge_deleted_documents() -> None:
    """Make the engine forget deleted documents now, not at its next merge."""
    get_engine().purge_deleted()


def rebuild_index(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild every search document from the published testimonies; returns the count."""
    published = Testimony.objects.public().only(
        "id", "title", "narrator_pseudonym", "summary", "body"
    )
    total = published.count()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        batch: list[SearchDocument] = []
        for done, testimony in enumerate(published.iterator(chunk_size=1000), start=1):
            batch.append(search_document(testimony))
            if len(batch) >= 1000:
                SearchDocument.objects.bulk_create(batch)
                batch.clear()
            if progress and (done % 1000 == 0 or done == total):
                progress(done, total)
        SearchDocument.objects.bulk_create(batch)
    return total
