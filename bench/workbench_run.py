"""The workbench (工作台, the home page) for each demo persona on the demo county.

Builds nothing: run ``./dev demo --no-serve`` (or ``anlan demo --no-serve``) first, with the
same ``ANLAN_DATA_DIR`` or ``DATABASE_URL``. In one process, with Django's test client (no HTTP
server: the time is the view's, middleware and template included), it renders for every
persona, endpoints interleaved round by round after warm-up rounds:
- the baseline: the enterprise ledger's first page (``/enterprises/``) as the same persona;
- the workbench (``/``).
It reports p50 and p95 in milliseconds, the ratio of the workbench's p95 to the baseline's, and
the number of queries and items of one workbench. Target (issue 12): under 300 ms.

    ANLAN_DATA_DIR=/tmp/demo .venv/bin/python bench/workbench_run.py --rounds 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlan.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("axes").setLevel(logging.WARNING)

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # responses carry their template context (the number of items)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from anlan.accounts.models import User  # noqa: E402
from anlan.demo.world import PERSONAS  # noqa: E402

ENDPOINTS = {"enterprise ledger (baseline)": "/enterprises/", "workbench": "/"}


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url, HTTP_HOST="127.0.0.1")
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        "| persona | items | queries | ledger p50 / p95 ms | workbench p50 / p95 ms "
        "| p95 / ledger p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        queries: list[str] = []  # counted by a wrapper: a request resets connection.queries

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get("/", HTTP_HOST="127.0.0.1")
        items = len(response.context["items"]) if response.context else 0
        times: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
        for n in range(args.warmup + args.rounds):
            for name, url in ENDPOINTS.items():
                elapsed = timed(client, url)
                if n >= args.warmup:
                    times[name].append(elapsed)
        base, bench = times["enterprise ledger (baseline)"], times["workbench"]
        worst = max(worst, p95(bench))
        print(
            f"| {persona.username} ({persona.full_name}) | {items} | {len(queries)} "
            f"| {statistics.median(base):.1f} / {p95(base):.1f} "
            f"| {statistics.median(bench):.1f} / {p95(bench):.1f} "
            f"| {p95(bench) / p95(base):.2f} |"
        )
    print(f"\nworst workbench p95: {worst:.1f} ms (target: under 300 ms)")
    return 0 if worst < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
