"""Gunicorn settings for the benchmarks (bench/search_bench.py, bench/load.py).

Overload. A sync worker serves one request at a time and leaves the rest in
the listen backlog, where nobody can see how long they have waited: past its
capacity every reader waits until their client gives up, and gunicorn itself
never answers 503. Here each worker is threaded, and the archive's
ConcurrencyLimitMiddleware (archive/middleware.py) lets two requests at a time
run in it, while the other threads are a waiting room with a deadline: a
request that finds no free slot within ARCHIVE_QUEUE_TIMEOUT_MS gets a 503
with Retry-After straight away. Two, not one: with a single slot a permalink
(10 ms) queued behind an export or a cold law page (100-200 ms) and was shed
at 5 requests a second; sharing the worker, it is served a little slower. The
backlog and the connections a worker takes are bounded, so what lies beyond
even that is refused at once rather than queued for minutes.

Warm start. Each worker builds its in-memory facet columns lazily, on its
first search. With two workers, which worker a warm-up request reaches is up
to the kernel, so a cold worker could otherwise pay that build inside a
measured request. Building it here, once per worker before it serves, makes
every measured request a warm one.
"""

import os
import time

from gunicorn.workers.base import Worker

worker_class = "gthread"
# Two run; the others wait (boundedly) for a slot. The waiting room must hold what
# arrives during one deadline at overload, or the excess waits in gunicorn's own
# queue, where no deadline applies: with 8 threads, at 3x the sustained rate the
# 503s came after ~3.6 s; with 32, after ~0.5 s. A thread keeps the database
# connection it last used (CONN_MAX_AGE): up to 64 for two workers, within
# PostgreSQL's default of 100.
threads = 32
worker_connections = 256
backlog = 256
os.environ.setdefault("ARCHIVE_MAX_CONCURRENT_REQUESTS", "2")
os.environ.setdefault("ARCHIVE_QUEUE_TIMEOUT_MS", "250")
# A worker silent this long is stuck: restart it. Generous, because the slowest
# measured searches (a cold PostgreSQL phrase at 100k) take about a second, and
# the facet build at start-up (2-4 s at 100k) happens before the first heartbeat.
timeout = 60
graceful_timeout = 10
keepalive = 5
accesslog = None


def post_worker_init(worker: Worker) -> None:
    from django.db import connections

    from testimonies.search.columns import facet_data

    started = time.perf_counter()
    data = facet_data()
    worker.log.info(
        "bench: facet data for %d testimonies built in %.0f ms",
        data.size,
        (time.perf_counter() - started) * 1000,
    )
    # The request cycle opens its own connection; do not carry this one into it.
    connections.close_all()
