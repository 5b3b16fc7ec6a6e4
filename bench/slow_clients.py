"""Slow clients against the served process: how many it takes to stop the service.

Runs ``timeline-service serve --seed`` (gunicorn, two workers) once per worker class on a
scratch SQLite database, opens N clients that send a request a byte at a time (its
headers, or the body of a POST), and meanwhile asks ``GET /v1/timeline?limit=20`` ten
times a second on fresh connections for ``--seconds``. Prints, per worker class, kind and
N: how many probes were answered in time (5 s), their median and worst latency. Then the
plain read rate of each worker class with ``wrk`` (if installed), so the safety is seen
next to its cost.

    python bench/slow_clients.py [--clients 4 64 256] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(worker_class: str, folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "TIMELINE_DATABASE_URL": f"sqlite:///{folder / (worker_class + '.sqlite')}",
        "TIMELINE_API_KEYS": "bench",
        "TIMELINE_RATE_LIMIT_PER_ADDRESS": "0",
    }
    command = [sys.executable, "-m", "timeline_service", "serve", "--seed", "--port", str(port)]
    command += ["--worker-class", worker_class]
    log = (folder / f"{worker_class}.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if get(port, "/healthz", 1) is not None and log.tell() >= 0:
            time.sleep(1.0)  # every worker booted
            return server, port
        time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{worker_class}: the server did not start")


def get(port: int, path: str, timeout: float) -> float | None:
    """Seconds one GET took on a new connection, or None if it failed or timed out."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
    except OSError:
        return None
    return time.monotonic() - started if response.status == 200 else None


def slow_client(port: int, kind: str, stop: threading.Event) -> None:
    """Sends a request a byte every half second; reconnects when the server hangs up."""
    if kind == "headers":
        message = b"GET /v1/timeline HTTP/1.1\r\nHost: bench\r\n" + b"X-Slow: 1\r\n" * 500
    else:
        message = (
            b"POST /v1/documents HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer bench\r\n"
            b"Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{" + b" " * 4998
        )
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                for i in range(len(message)):
                    if stop.wait(0.5):
                        return
                    s.sendall(message[i : i + 1])
        except OSError:
            if stop.wait(0.2):
                return


def attack(port: int, kind: str, clients: int, seconds: float) -> tuple[int, int, list[float]]:
    stop = threading.Event()
    threads = [
        threading.Thread(target=slow_client, args=(port, kind, stop), daemon=True)
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2.0)
    answered: list[float] = []
    asked = 0
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        asked += 1
        took = get(port, "/v1/timeline?limit=20", 5.0)
        if took is not None:
            answered.append(took)
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(2)
    return asked, len(answered), answered


def read_rate(port: int) -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        return "wrk not installed"
    url = f"http://127.0.0.1:{port}/v1/timeline?limit=50"
    subprocess.run([wrk, "-t2", "-c8", "-d2s", url], capture_output=True, check=False)
    done = subprocess.run([wrk, "-t2", "-c8", "-d8s", url], capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("Requests/sec")), "")
    return line.split(":")[-1].strip() + " req/s (same query, 8 connections)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 64, 256])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--worker-classes", nargs="+", default=["sync", "gevent"])
    args = parser.parse_args()
    print(
        "Slow clients vs 2 gunicorn workers; probes: GET /v1/timeline?limit=20, 10/s, 5 s timeout"
    )
    print(
        f"{'workers':8} {'slow part':9} {'clients':>7} {'answered':>12} {'p50 ms':>8} {'max ms':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for worker_class in args.worker_classes:
            server, port = start(worker_class, Path(tmp))
            try:
                for kind in ("headers", "body"):
                    for n in args.clients:
                        asked, ok, took = attack(port, kind, n, args.seconds)
                        p50 = f"{statistics.median(took) * 1000:.1f}" if took else "-"
                        worst = f"{max(took) * 1000:.1f}" if took else "-"
                        answered = f"{ok:5d} of {asked:4d}"
                        print(
                            f"{worker_class:8} {kind:9} {n:7d} {answered:>12} {p50:>8} {worst:>8}"
                        )
                print(f"{worker_class:8} read rate without slow clients: {read_rate(port)}")
            finally:
                server.terminate()
                server.wait(30)


if __name__ == "__main__":
    main()
