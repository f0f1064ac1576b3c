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
and makes every measured request of a benchmark a warm one. The worker then
answers one search itself, through the whole application as a reader's
request would go (middleware, the search, its templates compiled, the
translations read): what remained of a first reader's wait after the columns
were built. Thai's word list is loaded as the application is (archive/wsgi.py).
Neither is a reader's data kept for later: the columns are rebuilt whenever a
publication changes them, and the search's page is not stored
(ARCHIVE_PAGE_CACHE aside, which keeps it as it would any reader's).
"""

import io
import os
import sys
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


# The search a worker answers before it serves: any word will do, the engine
# plans and runs the same statements whether it matches or not.
WARM_UP_PATH, WARM_UP_QUERY = "/testimonies/", "q=police"


def _warm_up_search(worker: Worker) -> None:
    """Send one search through the worker's own application, as the proxy would."""
    from django.conf import settings

    # A name the application accepts, as a reader's request would carry one.
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": WARM_UP_PATH,
        "QUERY_STRING": WARM_UP_QUERY,
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        # HTTPS, as the proxy says it; a redirect to it would answer without searching.
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    answered: list[str] = []
    started = time.perf_counter()
    body = worker.wsgi(environ, lambda status, headers, exc_info=None: answered.append(status))
    try:
        for _chunk in body:
            pass
    finally:
        # Ends the request as a served one ends: its database connection closes.
        getattr(body, "close", lambda: None)()
    worker.log.info(
        "warm-up search answered %s in %.0f ms",
        answered[0] if answered else "nothing",
        (time.perf_counter() - started) * 1000,
    )


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
        return
    else:
        worker.log.info(
            "facet data for %d testimonies built in %.0f ms",
            data.size,
            (time.perf_counter() - started) * 1000,
        )
    finally:
        # The request cycle opens its own connection; do not carry this one into it.
        connections.close_all()
    try:
        _warm_up_search(worker)
    except Exception:
        # Whatever failed here, a reader's request would meet too, and report.
        worker.log.warning("warm-up search failed", exc_info=True)
    finally:
        connections.close_all()
