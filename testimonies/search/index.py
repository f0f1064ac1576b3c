"""Keeping the search index and the facet data in step with publication.

Only published testimonies have a search document. Every change that can
alter what search shows bumps the index generation in the same transaction,
so each worker's in-memory facet data is rebuilt on its next request.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from archive.search.engine import get_engine
from archive.search.forms import stems_text
from archive.search.text import index_text
from testimonies.models import IndexGeneration, SearchDocument, Status, Testimony

GENERATION_NAME = "testimonies"

# The token already read for the request being answered (see generation_known).
_known_generation: ContextVar[str | None] = ContextVar("known_generation", default=None)


def document_text(testimony: Testimony) -> str:
    """Only public fields go into the index."""
    return index_text(
        testimony.title, testimony.narrator_pseudonym, testimony.summary, testimony.body
    )


def search_document(testimony: Testimony) -> SearchDocument:
    """The unsaved search document of a published testimony: its tokens and their stems.

    The stems are left empty where the engine computes them from the text itself.
    """
    text = document_text(testimony)
    stems = stems_text(text) if get_engine().stores_stems else ""
    return SearchDocument(testimony=testimony, text=text, stems=stems)


def bump_generation() -> None:
    IndexGeneration.objects.update_or_create(
        name=GENERATION_NAME, defaults={"token": uuid.uuid4().hex}
    )


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
                testimony=testimony, defaults={"text": document.text, "stems": document.stems}
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
