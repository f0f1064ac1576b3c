"""The admin's confirmed import, as a page that shows its progress while batches go in.

The page is streamed: its head first, then a progress line after each batch,
then the outcome and the page's tail. The whole file is one transaction,
opened inside the stream (see ``import_rows``).
"""

import logging
from collections.abc import Callable, Generator, Iterator

import tablib
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.results import Result
from import_export.signals import post_import

from testimonies.imports.batches import BatchFailed, RowProblem, write_batches
from testimonies.imports.resource import TestimonyResource
from testimonies.models import Status, Testimony

logger = logging.getLogger(__name__)

# Where the streamed progress goes in the import page's template.
STREAM_MARK = "<!-- import progress -->"


def import_rows(
    dataset: tablib.Dataset,
    *,
    resource: TestimonyResource,
    file_name: str,
    user: object,
    after_batch: Callable[[Result], None],
) -> Generator[str]:
    """Import the file in one transaction, yielding HTML as each batch goes in.

    The transaction is opened here, not by the view: a streamed body is
    produced after the view has returned, outside any transaction the
    request had. Should the editor close the page, the generator is closed
    at its next line and the transaction rolls back: nothing is written.
    ``after_batch`` is called with each batch's result (the admin logs it).
    """
    total = len(dataset)
    totals = {"new": 0, "update": 0, "skip": 0}
    problems: list[str | RowProblem] = []
    rows_changed = False
    try:
        with transaction.atomic():
            for done, result in write_batches(
                dataset,
                file_name=file_name,
                batch_size=settings.ARCHIVE_IMPORT_BATCH_SIZE,
                user=user,
                resource=resource,
                retain_instances=True,
            ):
                after_batch(result)
                for key in totals:
                    totals[key] += result.totals[key]
                yield progress_line(done, total)
    except BatchFailed as failed:
        problems, rows_changed = failed.problems, True
    except DatabaseError as error:
        logger.exception("Import of %s refused by the database", file_name)
        problems = [_("The database refused the import: %(error)s") % {"error": error}]
    except Exception:
        # The page has started, so no error page can follow: say here that
        # nothing was written (the transaction rolled back) and log the rest.
        logger.exception("Import of %s failed", file_name)
        problems = [_("An unexpected error stopped the import.")]
    else:
        post_import.send(sender=None, model=Testimony)
    yield render_to_string(
        "admin/testimonies/testimony/_import_outcome.html",
        {
            "opts": Testimony._meta,
            "ok": not problems,
            "problems": problems,
            "rows_changed": rows_changed,
            "total": total,
            "new": totals["new"],
            "updated": totals["update"],
            "skipped": totals["skip"],
            "drafts_url": reverse("admin:testimonies_testimony_changelist")
            + f"?status__exact={Status.DRAFT}",
            "import_url": reverse("admin:testimonies_testimony_import"),
        },
    )


def stream_page(
    head: str, body: Generator[str], tail: str, *, language: str, cleanup: Callable[[], None]
) -> Iterator[str]:
    """The page: ``head``, each chunk of ``body`` in the request's language, ``tail``."""
    try:
        yield head
        while True:
            # The body is read after the view has returned (under ASGI, maybe on
            # another thread): the request's language must be set again for it.
            with translation.override(language):
                chunk = next(body, None)
            if chunk is None:
                break
            yield chunk
        yield tail
    finally:
        # Closing the body closes its transaction: rolled back unless it finished.
        body.close()
        cleanup()


def progress_line(done: int, total: int) -> str:
    text = ngettext(
        "Imported %(done)s of %(total)s row",
        "Imported %(done)s of %(total)s rows",
        total,
    ) % {"done": intcomma(done), "total": intcomma(total)}
    return format_html('<li><progress value="{}" max="{}"></progress> {}</li>\n', done, total, text)
