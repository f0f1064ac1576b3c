"""The reader mix for bench/load.py: an open-loop load of simulated readers.

Run by bench/load.py as a process of its own (standard library only):

    python bench/loadgen.py PATHS_JSON SAMPLES_JSONL --rate R --pacing P --seconds S

PATHS_JSON maps a request class to {"weight": w, "paths": [...]}. Each reader
is a thread with one keep-alive connection, as a browser has; it starts a
request every P seconds whatever the answers take (as long as they take less
than P), choosing a class by its weight and a path of that class at random.
Readers start spread over one period, so requests arrive at the rate R as a
steady stream, not in bursts. Every request's outcome goes to SAMPLES_JSONL as
one JSON line (start time, class, milliseconds, status, error).

Why not Locust: driving the same mix at 6.6 requests a second, Locust's own
client reported a search p95 of 147 ms and this one 37 ms, with the machine's
load average at 0.4 in both runs (see docs/benchmarks.md, "Load").
"""

import argparse
import http.client
import json
import math
import random
import threading
import time


def reader(
    number: int,
    *,
    host: str,
    port: int,
    mix: dict[str, dict],
    pacing: float,
    until: float,
    timeout: float,
    samples: list[dict],
) -> None:
    rng = random.Random(number)
    classes = [name for name, entry in mix.items() if entry["paths"] and entry["weight"] > 0]
    weights = [mix[name]["weight"] for name in classes]
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    due = time.monotonic() + rng.uniform(0, pacing)
    while True:
        time.sleep(max(0.0, due - time.monotonic()))
        if time.monotonic() >= until:
            break
        name = rng.choices(classes, weights)[0]
        path = rng.choice(mix[name]["paths"])
        started, clock = time.time(), time.perf_counter()
        status, error = 0, None
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
            connection.close()  # http.client reconnects on the next request
        samples.append(
            {
                "t": started,
                "class": name,
                "ms": (time.perf_counter() - clock) * 1000,
                "status": status,
                "error": error,
            }
        )
        due += pacing
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths")
    parser.add_argument("samples")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--pacing", type=float, default=2.0, help="seconds between a reader's")
    parser.add_argument("--seconds", type=float, required=True, help="how long to run")
    parser.add_argument("--timeout", type=float, default=10.0, help="per request")
    args = parser.parse_args()
    with open(args.paths, encoding="utf-8") as handle:
        mix = json.load(handle)
    readers = max(1, math.ceil(args.rate * args.pacing))
    pacing = readers / args.rate  # exact: readers / pacing = rate
    until = time.monotonic() + args.seconds
    samples: list[dict] = []  # list.append is atomic: the readers share it
    threads = [
        threading.Thread(
            target=reader,
            args=(n,),
            kwargs={
                "host": args.host,
                "port": args.port,
                "mix": mix,
                "pacing": pacing,
                "until": until,
                "timeout": args.timeout,
                "samples": samples,
            },
            daemon=True,
        )
        for n in range(readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(args.samples, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(sample) + "\n" for sample in samples)


if __name__ == "__main__":
    main()
