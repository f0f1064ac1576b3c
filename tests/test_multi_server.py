"""Two app servers behind nginx, a PostgreSQL primary and its replica, Redis: proven together.

The topology of README's "Several app servers" runs on loopback
(tests/support/multiserver.py): what one server does, the other, the shared
caches and the proxy must follow. It needs PostgreSQL (a streaming replica),
so the SQLite run skips it; without nginx or Redis it is skipped too, except
where REQUIRE_NGINX is set (CI), where either missing fails it.
"""

import os
import re
import threading
import time

import pytest

from tests.support.multiserver import (
    API_RATE,
    AXES_FAILURE_LIMIT,
    CACHE_DB,
    HTTP_CACHE_SECONDS,
    PAGE_CACHE_DB,
    REDIS_HOST,
    REDIS_PORT,
    REVIEWER,
    REVIEWER_PASSWORD,
    Browser,
    Topology,
    direct,
    redis_db,
    redis_reachable,
    running_topology,
    through,
)
from tests.support.nginx import require_nginx
from tests.support.scratch import vendor

ANNOUNCED = "Quillmarsh karaoke raid"
DURING_STOP = "Thornbury massage parlour inspection"
DOOMED = "Brackenfold bar detention"


@pytest.fixture(scope="module")
def topology(request):
    if vendor() != "postgresql":
        pytest.skip("several app servers read a PostgreSQL streaming replica; this run is SQLite")
    require_nginx()
    if not redis_reachable():
        message = f"no Redis at {REDIS_HOST}:{REDIS_PORT} for the shared caches"
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(f"REQUIRE_NGINX is set but there is {message}")
        pytest.skip(message)
    # The scratch template (migrated, the archive loaded) is copied rather than made anew.
    scratch = request.getfixturevalue("scratch_databases")
    with running_topology(
        drafts={"announced": ANNOUNCED, "during_stop": DURING_STOP},
        published={"doomed": DOOMED},
        template_url=scratch.template_url(),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def reviewer(topology: Topology) -> Browser:
    """A reviewer signed in to the admin on server A (password and one-time code)."""
    browser = Browser()
    status, headers, body = browser.log_in(
        direct(topology.a.port),
        username=REVIEWER,
        password=REVIEWER_PASSWORD,
        device=topology.totp_device,
        code=topology.one_time_code(),
    )
    refusal = re.findall(
        r'class="errornote">(.*?)<|class="errorlist[^>]*>(.*?)</ul>', body.decode(), re.S
    )
    assert (status, headers["Location"]) == (302, "/admin/"), refusal
    return browser


def _wait_until(condition, *, within: float, step: float = 0.05) -> float:
    """Seconds until ``condition()`` held; fails once ``within`` has passed without it."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started <= within, f"not within {within} s"
        time.sleep(step)
    # The asking itself counts: a first answer that came late is late.
    elapsed = time.monotonic() - started
    assert elapsed <= within, f"held only after {elapsed:.2f} s, not within {within} s"
    return elapsed


def _text(body: bytes) -> str:
    """What a reader sees of a page: its words without the markup (search marks the
    words it found in a title)."""
    return re.sub(r"<[^>]+>", "", body.decode())


def _page_cache_holds(text: str) -> bool:
    pages = redis_db(PAGE_CACHE_DB)
    return any(text.encode() in (pages.get(key) or b"") for key in pages.scan_iter())


def test_a_publication_through_a_is_found_through_b_within_a_second(topology, reviewer):
    search = "/testimonies/?q=quillmarsh"
    status, _, body = topology.b.get(search)
    assert status == 200 and ANNOUNCED not in _text(body)

    status, _, _ = reviewer.workflow_action(
        direct(topology.a.port), "publish", topology.drafts["announced"]
    )
    assert status == 302
    seconds = _wait_until(lambda: ANNOUNCED in _text(topology.b.get(search)[2]), within=1.0)
    print(f"found through B {seconds * 1000:.0f} ms after A's publication answered")
    # B's page went into the shared page cache: A serves it without computing it.
    _, headers, body = topology.a.get(search)
    assert headers["X-Page-Cache"] == "hit" and ANNOUNCED in _text(body)


def test_a_withdrawal_through_a_leaves_b_redis_and_nginx_within_the_bound(topology, reviewer):
    public_id = topology.published["doomed"]
    permalink, search = f"/testimonies/{public_id}/", "/testimonies/?q=brackenfold"
    nginx = topology.nginx
    for path in (permalink, search):
        statuses = [nginx.fetch(path)[:2] for _ in range(2)]
        assert [(s, h["X-Cache-Status"]) for s, h in statuses] == [(200, "MISS"), (200, "HIT")]
    assert DOOMED in _text(topology.b.get(search)[2])
    assert _page_cache_holds(permalink)

    [(pk,)] = topology.primary_query(
        f"SELECT id FROM testimonies_testimony WHERE public_id = '{public_id}'"
    )
    status, _, _ = reviewer.workflow_action(direct(topology.a.port), "withdraw", pk)
    assert status == 302
    withdrawn = time.monotonic()
    # At once: the shared page cache holds it no more, and server B knows it is gone.
    assert not _page_cache_holds(permalink)
    status, _, body = topology.b.get(permalink)
    assert status == 410 and DOOMED not in _text(body)
    assert DOOMED not in _text(topology.b.get(search)[2])

    # nginx's copies: within the bound. Seen last when a request that still got the text
    # came back (an upper bound on when nginx served it).
    last_seen = withdrawn
    while True:
        page_status, _, page = nginx.fetch(permalink)
        listed = DOOMED in _text(nginx.fetch(search)[2])
        answered = time.monotonic()
        if page_status == 410 and DOOMED not in _text(page) and not listed:
            break
        last_seen = answered
        assert answered - withdrawn < HTTP_CACHE_SECONDS + 5, "nginx keeps serving it"
        time.sleep(0.05)
    seconds = last_seen - withdrawn
    print(f"nginx served it last {seconds:.2f} s after the withdrawal answered")
    assert seconds <= HTTP_CACHE_SECONDS


def test_rate_limits_count_across_both_servers(topology):
    reader = {"X-Forwarded-For": "203.0.113.20"}
    alternating = [topology.a, topology.b] * 3
    statuses = [
        server.get(f"/api/laws/?n={n}", headers=reader)[0] for n, server in enumerate(alternating)
    ]
    # Counted per server, each would have allowed API_RATE requests: 2 x API_RATE.
    assert statuses == [200] * API_RATE + [429] * (len(alternating) - API_RATE)
    assert any(b"throttle" in key for key in redis_db(CACHE_DB).scan_iter())
    another = {"X-Forwarded-For": "203.0.113.21"}
    assert topology.b.get("/api/laws/?n=another", headers=another)[0] == 200


def test_log_in_lockouts_count_across_both_servers(topology):
    guesser = {"X-Forwarded-For": "203.0.113.30"}
    servers = [topology.a, topology.b] * AXES_FAILURE_LIMIT
    statuses = []
    for server in servers[: AXES_FAILURE_LIMIT + 1]:
        status, _, _ = Browser(headers=guesser).log_in(
            direct(server.port), username=REVIEWER, password="a-wrong-guess"
        )
        statuses.append(status)
    # The failure that reaches the limit is refused, on whichever server it lands.
    assert statuses == [200] * (AXES_FAILURE_LIMIT - 1) + [429, 429]
    status, _, _ = Browser(headers={"X-Forwarded-For": "203.0.113.31"}).log_in(
        direct(topology.b.port), username=REVIEWER, password="a-wrong-guess"
    )
    assert status == 200


def _load(nginx, results: list, stop: threading.Event, worker: int, public_id: str) -> None:
    paths = ("/testimonies/?q=raid&n={n}", "/laws/?n={n}", f"/testimonies/{public_id}/?n={{n}}")
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)].format(n=f"{worker}-{n}")
        try:
            status: int | str = nginx.fetch(path)[0]
        except OSError as error:
            status = repr(error)
        results.append((time.monotonic(), status, path))
        n += 1


def test_stopping_b_mid_load_loses_nothing_and_b_serves_again(topology, reviewer):
    a_public_id = topology.primary_query(
        "SELECT public_id FROM testimonies_testimony WHERE status = 'published' LIMIT 1"
    )[0][0]
    results: list = []
    stop = threading.Event()
    loaders = [
        threading.Thread(target=_load, args=(topology.nginx, results, stop, k, a_public_id))
        for k in range(3)
    ]
    for loader in loaders:
        loader.start()
    try:
        time.sleep(1.5)
        served_by_b = topology.b.requests_served()
        stopper = threading.Thread(target=topology.b.stop)
        stopped_at = time.monotonic()
        stopper.start()
        # A write while B stops: a POST is never retried, so it must simply succeed once.
        status, _, _ = reviewer.workflow_action(
            through(topology.nginx), "publish", topology.drafts["during_stop"]
        )
        stopper.join()
        time.sleep(1.5)
    finally:
        stop.set()
        for loader in loaders:
            loader.join()
    assert served_by_b > 0
    assert status == 302
    failed = [(round(t - stopped_at, 2), s, p) for t, s, p in results if s != 200]
    assert failed == []
    after = [t for t, _, _ in results if t > stopped_at]
    print(f"{len(results)} GETs through nginx, {len(after)} after B was told to stop, 0 failed")
    assert len(after) > 10

    # The database: the publication happened once, and the replica holds what the primary does.
    pk = topology.drafts["during_stop"]
    [(state, public_id)] = topology.primary_query(
        f"SELECT status, public_id FROM testimonies_testimony WHERE id = {pk}"
    )
    assert state == "published" and public_id
    assert topology.primary_query(
        f"SELECT count(*) FROM testimonies_testimonyversion WHERE testimony_id = {pk}"
    ) == [(1,)]
    topology.wait_for_replay()
    census = "SELECT status, count(*) FROM testimonies_testimony GROUP BY status ORDER BY status"
    assert topology.replica_query(census) == topology.primary_query(census)

    topology.b.start()
    topology.b.wait_ready()
    status, _, body = topology.b.get("/testimonies/?q=thornbury")
    assert status == 200 and DURING_STOP in _text(body)
    # nginx gives B readers again once its fail_timeout (10 s) has passed.
    before = topology.b.requests_served()
    probes = iter(range(10_000))

    def b_serves_through_nginx() -> bool:
        assert topology.nginx.fetch(f"/laws/?probe={next(probes)}")[0] == 200
        return topology.b.requests_served() > before

    _wait_until(b_serves_through_nginx, within=15, step=0.2)
