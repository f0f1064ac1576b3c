"""The reader mix for bench/load.py: run by Locust, never imported by the app.

bench/load.py finds real paths on the server under test (ids, slugs, facet
values), writes them to the JSON file named by LOAD_PATHS, and starts Locust
with LOAD_RATE requests per second in total. Each simulated reader starts one
request every PACING seconds whatever the answers take (an open loop as long as
answers come back within that time), choosing a class by its weight and a path
of that class at random. Every request's outcome goes to LOAD_SAMPLES as one
JSON line, so load.py computes exact percentiles over any group of classes.
"""

import json
import os
import random

import gevent
from locust import FastHttpUser, constant_pacing, events, task

PACING = float(os.environ.get("LOAD_PACING", "2"))
with open(os.environ["LOAD_PATHS"], encoding="utf-8") as handle:
    MIX: dict[str, dict] = json.load(handle)  # class -> {"weight": w, "paths": [...]}
CLASSES = [name for name, entry in MIX.items() if entry["paths"] and entry["weight"] > 0]
WEIGHTS = [MIX[name]["weight"] for name in CLASSES]
SAMPLES: list[str] = []


@events.request.add_listener
def record(request_type, name, response_time, response_length, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append(
        json.dumps(
            {
                "t": kwargs.get("start_time"),
                "class": name,
                "ms": response_time,
                "status": status,
                "error": None
                if exception is None
                else f"{type(exception).__name__}: {exception}"[:200],
            }
        )
    )


@events.test_stop.add_listener
def write_samples(**kwargs):
    with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as out:
        out.write("\n".join(SAMPLES) + ("\n" if SAMPLES else ""))


class Reader(FastHttpUser):
    wait_time = constant_pacing(PACING)
    # An answer slower than this counts as an error (a time-out), not a slow success.
    network_timeout = float(os.environ.get("LOAD_TIMEOUT", "10"))
    connection_timeout = float(os.environ.get("LOAD_TIMEOUT", "10"))

    def on_start(self) -> None:
        # Spread the readers over one pacing period instead of one burst at t=0.
        gevent.sleep(random.uniform(0, PACING))

    @task
    def read(self) -> None:
        name = random.choices(CLASSES, WEIGHTS)[0]
        path = random.choice(MIX[name]["paths"])
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
