"""Gunicorn settings for serving the archive (``make serve``; the benchmarks use them too).

Read from the environment, with defaults measured in docs/benchmarks.md:

- ``GUNICORN_BIND`` (``127.0.0.1:8000``): where to listen; the proxy in front
  (deploy/nginx.conf) talks to it. Several addresses: separated by commas.
- ``GUNICORN_WORKERS`` (``2``): processes; each keeps its own facet columns
  (tens of MB at 100,000 testimonies), so count memory before cores.
- ``GUNICORN_THREADS`` (``32``): threads per worker, most of them a waiting room (below).
- ``GUNICORN_FORWARDED_ALLOW_IPS`` (``127.0.0.1,::1``): the proxies whose
  X-Forwarded-Proto gunicorn believes.
- ``GUNICORN_ACCESS_LOG``: ``-`` logs every request to standard output; off by
  default, as the proxy logs them.
- ``GUNICORN_CONTROL_SOCKET``: the socket ``gunicornc`` talks to; ``off`` for
  none. gunicorn's default is one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl,
  else ~/.gunicorn/gunicorn.ctl), so a second gunicorn of the same user on one
  machine takes the first one's socket: give each its own.

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
first search. Building them here, once per worker before it serves, spares
the first reader of each worker that wait (0.6-0.7 s at 100,000 testimonies),
and makes every measured request of a benchmark a warm one.
"""

import os
import time

from gunicorn.workers.base import Worker

bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
# Two run; the others wait (boundedly) for a slot. The waiting room must hold what
# arrives during one deadline at overload, or the excess waits in gunicorn's own
# queue, where no deadline applies: with 8 threads, at 3x the sustained rate the
# 503s came after ~3.6 s; with 32, after ~0.5 s. A thread keeps the database
# connection it last used (CONN_MAX_AGE): up to 64 for two workers, within
# PostgreSQL's default of 100.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
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
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket == "off":
    control_socket_disable = True
elif _control_socket:
    control_socket = _control_socket
wsgi_app = "archive.wsgi:application"


def post_worker_init(worker: Worker) -> None:
    from django.db import connections

    from testimonies.search.columns import facet_data

    started = time.perf_counter()
    try:
        data = facet_data()
    except Exception:
        # A database not reachable yet must not stop the worker: its first search
        # builds the columns instead, and the pages say 503 meanwhile.
        worker.log.warning("facet data not built at start-up", exc_info=True)
    else:
        worker.log.info(
            "facet data for %d testimonies built in %.0f ms",
            data.size,
            (time.perf_counter() - started) * 1000,
        )
    finally:
        # The request cycle opens its own connection; do not carry this one into it.
        connections.close_all()
