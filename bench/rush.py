"""A rush of readers on one address: how many answers a second, and how fast.

Closed loop, standard library only: READERS threads, each with one keep-alive
connection, ask for PATH again and again for SECONDS, as readers following a
journalist's link would. Run it once against gunicorn itself and once through
nginx (deploy/nginx.conf) to see what the proxy cache carries:

    python bench/rush.py http://127.0.0.1:8000/testimonies/T-0001/ --readers 16 --seconds 20
    python bench/rush.py https://archive.example.org/testimonies/T-0001/ --insecure

Prints the answers a second, the statuses, the cache statuses nginx reported
(X-Cache-Status) and the 50th/95th/99th percentile times in milliseconds.
"""

import argparse
import http.client
import ssl
import statistics
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def reader(args: argparse.Namespace, until: float, times: list[float], seen: Counter) -> None:
    url = urlsplit(args.url)
    path = url.path + (f"?{url.query}" if url.query else "")
    if url.scheme == "https":
        context = ssl.create_default_context()
        if args.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            url.hostname, url.port, context=context, timeout=30
        )
    else:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Accept-Encoding": "gzip", "Host": args.host or url.netloc}
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            seen[f"error {type(exc).__name__}"] += 1
            connection.close()
            continue
        times.append((time.perf_counter() - started) * 1000)
        seen[str(response.status)] += 1
        seen[f"cache {response.headers.get('X-Cache-Status', '-')}"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--host", help="Host header, if not the URL's")
    parser.add_argument("--insecure", action="store_true", help="accept any certificate")
    args = parser.parse_args()
    times: list[float] = []
    seen: Counter = Counter()
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=reader, args=(args, until, times, seen))
        for _ in range(args.readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not times:
        print("no answers:", dict(seen))
        return
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{len(times) / args.seconds:.0f} answers/s over {args.seconds:.0f} s, "
        f"{args.readers} readers; p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, "
        f"p99 {cuts[98]:.1f} ms; {dict(sorted(seen.items()))}"
    )


if __name__ == "__main__":
    main()
