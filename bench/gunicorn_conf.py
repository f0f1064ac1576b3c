"""Gunicorn settings for the search benchmark (not for production).

Each worker builds its in-memory facet columns lazily, on its first search.
With two workers and one client, which worker a warm-up request reaches is
up to the kernel, so a cold worker could otherwise pay that build inside a
measured request. Building it here, once per worker before it serves, makes
every measured request a warm one.
"""

import time

from gunicorn.workers.base import Worker

# Slow searches are what we are measuring: never let gunicorn kill a worker for one.
timeout = 300
graceful_timeout = 10
accesslog = None


def post_worker_init(worker: Worker) -> None:
    from django.db import connections

    from testimonies.facets import facet_data

    started = time.perf_counter()
    data = facet_data()
    worker.log.info(
        "bench: facet data for %d testimonies built in %.0f ms",
        data.size,
        (time.perf_counter() - started) * 1000,
    )
    # The request cycle opens its own connection; do not carry this one into it.
    connections.close_all()
