"""Read replicas: public reads on a PostgreSQL standby, never older than the primary.

With ``DATABASE_REPLICA_URL`` set (one or more URLs, comma-separated), an
anonymous reader's GET or HEAD is answered from a replica, and everything
else (writes, the admin, anyone with a session: editors read their own writes)
from the primary. Before a request is sent to a replica, the replica must have
replayed the primary's write-ahead log up to where the primary stood when the
request arrived: a withdrawal that committed before the request is then on the
replica too, so a lagging replica can never show a withdrawn record. A replica
that is behind, or does not answer, is passed over for the primary; one that
failed is left alone for ``RETRY_AFTER`` seconds.

The cost: two one-row queries a request (the primary's position, the
replica's), both answered from memory.
"""

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# How long a replica that failed is passed over, in seconds.
RETRY_AFTER = 10.0
# Where no replica may serve: the editors' pages and the log-in.
PRIMARY_ONLY_PREFIXES = ("/admin/", "/accounts/")

_reads_from: ContextVar[str | None] = ContextVar("reads_from", default=None)
_failed_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    """The database aliases of the configured replicas (settings.DATABASE_REPLICAS)."""
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def may_use_replica(request: HttpRequest) -> bool:
    """Whether this request only reads what any anonymous reader may read."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(PRIMARY_ONLY_PREFIXES):
        return False
    # A session means a signed-in editor (or one signing in): they must see their own writes.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _position_on_primary() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _replica_caught_up(alias: str, position: str) -> bool:
    """Whether the replica has replayed the primary's log up to ``position``."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
        caught_up = cursor.fetchone()[0]
    return bool(caught_up)


def choose_replica() -> str | None:
    """A replica that is up to date with the primary as of now, or None for the primary."""
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _failed_until.get(alias, 0) <= now]
    if not candidates:
        return None
    alias = random.choice(candidates)
    try:
        position = _position_on_primary()
    except DatabaseError:
        return None  # the primary's own trouble: the request will meet it there
    try:
        if _replica_caught_up(alias, position):
            return alias
    except DatabaseError:
        logger.warning("Replica %s did not answer; reads go to the primary for now", alias)
        _failed_until[alias] = now + RETRY_AFTER
        connections[alias].close()
    return None


@contextmanager
def reads_from(alias: str | None) -> Iterator[None]:
    """Within the block, reads go to ``alias`` (None: the primary)."""
    reset = _reads_from.set(alias)
    try:
        yield
    finally:
        _reads_from.reset(reset)


def current_read_alias() -> str | None:
    return _reads_from.get()


class ReplicaRouter:
    """Reads where ``reads_from`` says (by default the primary); every write to the primary."""

    def db_for_read(self, model: type, **hints: object) -> str | None:
        return _reads_from.get()

    def db_for_write(self, model: type, **hints: object) -> str:
        return "default"

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # one database, copied: every row is on each

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == "default"  # a replica follows the primary's schema by itself
