"""The process users run: ``timeline-service serve`` (gunicorn) on a free loopback port.

Tests talk to it over real sockets, one new connection per request unless they say
otherwise, so consecutive requests land on different workers; the access log names the
worker (``pid=<...>``) that served each request, so a test can tell which it reached.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

#: the key the served process accepts for writes
KEY = "served-key-0123456789abcdef"
_LOG_LINE = re.compile(r"pid=<(?P<pid>\d+)> request_id=(?P<rid>\S+)$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``timeline-service serve``; ``stop()`` (or the context) ends it."""

    def __init__(
        self,
        database_url: str,
        folder: Path,
        *,
        workers: int = 2,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"serve-{self.port}.log"
        self.workers = workers
        environ = {
            k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_")
        }  # only what the test says
        environ.update(
            {
                "TIMELINE_DATABASE_URL": database_url,
                "TIMELINE_API_KEYS": KEY,
                "TIMELINE_INSTANCE_PATH": str(folder / "instance"),
                **(env or {}),
            }
        )
        command = [sys.executable, "-m", "timeline_service", "serve", "--port", str(self.port)]
        command += ["--workers", str(workers), *args]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, env=environ, stdout=self._log, stderr=subprocess.STDOUT, cwd=folder
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop(timeout=5)
            raise

    def _wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited during start-up:\n{self.log()}")
            booted = self.log().count("Booting worker")
            if booted >= self.workers:
                try:
                    if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                        return
                except requests.RequestException:
                    pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve did not become healthy:\n{self.log()}")
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(
        self, method: str, path: str, *, key: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """One request on a new connection; ``key`` is sent as the bearer token."""
        headers = dict(kwargs.pop("headers", None) or {})
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        headers.setdefault("Connection", "close")
        kwargs.setdefault("timeout", 60)
        return requests.request(method, self.url + path, headers=headers, **kwargs)

    def served_by(self, tag: str) -> set[int]:
        """The pids of the workers that served requests whose ``X-Request-Id`` starts with
        ``tag``."""
        time.sleep(0.05)  # let the access log line land
        return {
            int(m["pid"])
            for m in map(_LOG_LINE.search, self.log().splitlines())
            if m and m["rid"].startswith(tag)
        }

    def worker_pids(self) -> set[int]:
        return {int(p) for p in re.findall(r"Booting worker with pid: (\d+)", self.log())}

    def until_every_worker(self, method: str, path: str, **kwargs: Any) -> list[requests.Response]:
        """Repeat a request (each copy tagged with an ``X-Request-Id``) until every worker
        has answered it, at least twice as many times as there are workers; returns all."""
        answers = []
        tag = f"probe{uuid.uuid4().hex[:8]}"
        seen: set[int] = set()
        headers = dict(kwargs.pop("headers", None) or {})
        for n in range(200):
            headers["X-Request-Id"] = f"{tag}-{n}"
            answers.append(self.request(method, path, headers=headers, **kwargs))
            if n % 8 == 7:
                seen = self.served_by(tag)
                if len(seen) >= self.workers and n >= 2 * self.workers:
                    return answers
        raise AssertionError(f"only workers {sorted(seen)} answered of {self.worker_pids()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
