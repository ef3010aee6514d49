"""Measure the hazard ledger API and statistics against a trivial endpoint, in one run.

    .venv/bin/python bench/hazards_run.py [--requests 200] [--seconds 8] [--threads 4] [--slices 4]

Starts gunicorn (2 workers) on a free loopback port against DATABASE_URL (default: the
database bench/hazards_generate.py fills), logs in as demo-county and demo-town-a, then:
1. latency: requests sent one at a time, the endpoints interleaved round by round so that
   machine noise hits them alike; p50 and p95 per endpoint;
2. throughput: ``--threads`` clients with keep-alive for ``--seconds`` per endpoint, in
   ``--slices`` turns (all endpoints one after another, then again), so that a burst of
   load from elsewhere on the machine does not fall on one endpoint only.
Every figure is also given as a ratio to GET /api/v1/ping measured in the same run.
One row cycles through 1,440 different filter combinations (towns, states, levels, page
sizes): the cost of a page nobody asked for recently (until 2026-12-02 the ledger kept the
256 most recent statements per worker; this row was the one that missed them).
Only 127.0.0.1 is contacted; every loop is bounded.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/anlan_bench"
PASSWORD = "bench-pass-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, path: str, token: str, method="GET", body=None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def token_for(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"username": username, "password": PASSWORD})
    status, data = request(conn, "/api/v1/auth/token", "", "POST", body)
    assert status == 200, data
    return json.loads(data)["token"]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=env.get("DATABASE_URL", DEFAULT_URL),
        ANLAN_ALLOWED_HOSTS="127.0.0.1",
        ANLAN_SECRET_KEY="bench",
        ANLAN_LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "anlan.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(100):  # up to 20 s for the workers to boot
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            if request(conn, "/healthz", "")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rotating_ledger_paths() -> list[str]:
    """Distinct first pages, interleaved so that consecutive requests differ in every part."""
    towns = [f"9901020{n:02d}" for n in range(2, 14)]
    states, levels = ["open", "rectifying", "reported", ""], ["", "general", "major"]
    combos = [(t, s, lv, size) for size in range(41, 51) for lv in levels for s in states
              for t in towns]  # fmt: skip
    return [
        f"/api/v1/hazards/?region={town}&state={state}&level={level}&page_size={size}"
        for town, state, level, size in combos
    ]


class Paths:
    """One path, or a list to go through in turn (shared by the threads of one endpoint)."""

    def __init__(self, paths: str | list[str]):
        self.paths = [paths] if isinstance(paths, str) else paths
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> str:
        with self.lock:
            path = self.paths[self.next % len(self.paths)]
            self.next += 1
        return path


def latency(port: int, endpoints: dict, rounds: int) -> dict[str, list[float]]:
    conns = {name: http.client.HTTPConnection("127.0.0.1", port, timeout=30) for name in endpoints}
    times: dict[str, list[float]] = {name: [] for name in endpoints}
    for round_number in range(rounds + 20):
        for name, (path, token) in endpoints.items():
            started = time.perf_counter()
            status, _body = request(conns[name], path.take(), token)
            elapsed = (time.perf_counter() - started) * 1000
            assert status == 200, (name, status)
            if round_number >= 20:  # the first 20 rounds warm caches and connections
                times[name].append(elapsed)
    return times


def throughput(
    port: int, path: Paths, token: str, threads: int, seconds: float
) -> tuple[int, float]:
    """Requests answered and seconds taken by ``threads`` clients in ``seconds``."""
    counts = [0] * threads
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            status, _ = request(conn, path.take(), token)
            assert status == 200
            counts[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts), time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--slices", type=int, default=4)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    try:
        county, town = token_for(port, "demo-county"), token_for(port, "demo-town-a")
        endpoints = {
            "ping (baseline)": ("/api/v1/ping", county),
            "hazard list, town + open, page 1 (county user)": (
                "/api/v1/hazards/?state=open&region=990102002", county),
            "hazard list, no filter, page 1 (county user)": ("/api/v1/hazards/", county),
            "hazard list, town user, page 1": ("/api/v1/hazards/", town),
            "hazard list, town user, major + open, page 1": (
                "/api/v1/hazards/?state=open&level=major", town),
            "hazard list, 1,440 filters in turn, county user": (
                rotating_ledger_paths(), county),
            "statistics by town and department (county user)": ("/api/v1/hazards/stats", county),
            "statistics (town user)": ("/api/v1/hazards/stats", town),
        }  # fmt: skip
        endpoints = {name: (Paths(path), token) for name, (path, token) in endpoints.items()}
        times = latency(port, endpoints, args.requests)
        done = {name: [0, 0.0] for name in endpoints}
        for _slice in range(args.slices):
            for name, (path, token) in endpoints.items():
                count, seconds = throughput(
                    port, path, token, args.threads, args.seconds / args.slices
                )
                done[name][0] += count
                done[name][1] += seconds
        rates = {name: count / seconds for name, (count, seconds) in done.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    base = "ping (baseline)"
    base_p50, base_p95 = percentile(times[base], 50), percentile(times[base], 95)
    print(
        f"| endpoint | p50 ms | p95 ms | p95 / ping | req/s ({args.threads} clients) | req/s / ping |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name in endpoints:
        p50, p95 = percentile(times[name], 50), percentile(times[name], 95)
        print(
            f"| {name} | {p50:.1f} | {p95:.1f} | {p95 / base_p95:.2f} | {rates[name]:.0f} "
            f"| {rates[name] / rates[base]:.2f} |"
        )
    print(
        f"\nping p50 {base_p50:.1f} ms; mean of all samples {statistics.mean(times[base]):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
