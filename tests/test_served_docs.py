"""The documentation is executable: every ``curl`` example of ``README.md`` and ``docs/``
runs, with the real curl, against the served process loaded with the seeds, and its answer
is held to ``openapi.yaml`` (status, media type, headers and body of that operation).

The examples use placeholders a reader replaces with their own values; the test does the
same, from what the service answered before: the key (``$TIMELINE_API_KEYS``), an event id
(``ev_...``), the id of the document the previous example posted (``/v1/documents/1``), a
cursor and an ETag (values written with ``...``). An example that cannot run is a wrong
example.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
import yaml
from conftest import BACKENDS, POSTGRES_URL, scratch_postgres
from schemathesis.core.transport import Response
from served import KEY, Served

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SCHEMA = schemathesis.openapi.from_path(ROOT / "openapi.yaml")
BLOCK = re.compile(r"```(?:sh|console|bash|shell)\n(.*?)\n```", re.DOTALL)
GUIDE_FILE = re.compile(r"<!-- file: (?P<path>\S+) -->\n```\w*\n(?P<body>.*?)\n```", re.DOTALL)


def curl_examples() -> list[tuple[str, str]]:
    """(where, command) for each curl command in the docs' shell blocks, continuation lines
    joined and prompts and comments dropped."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in BLOCK.finditer(text):
            line_no = text[: block.start()].count("\n") + 2
            pending, start = "", 0
            for offset, line in enumerate(block.group(1).splitlines()):
                if not pending:
                    line, start = line.strip().removeprefix("$ ").strip(), offset
                    if not line.startswith("curl "):
                        continue
                pending = f"{pending} {line.strip()}" if pending else line
                if pending.endswith("\\"):  # a continuation line
                    pending = pending[:-1].rstrip()
                    continue
                try:
                    shlex.split(pending, comments=True)
                except ValueError:  # a quoted argument (JSON) goes on over the next line
                    continue
                found.append((f"{doc.name}:{line_no + start}", pending))
                pending = ""
    return found


EXAMPLES = curl_examples()


def test_the_docs_have_curl_examples() -> None:
    assert len(EXAMPLES) >= 15
    assert {where.split(":")[0] for where, _ in EXAMPLES} >= {"README.md", "plugins.md"}


def install_guide_plugin(folder: Path) -> Path:
    """The plugin guide's example module, installed the way pip would (a module and its
    distribution's entry point), so the guide's own curl example can use it."""
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    files = {m["path"]: m["body"] + "\n" for m in GUIDE_FILE.finditer(guide)}
    site = folder / "site"
    site.mkdir()
    module = "timeline_source_daily_planet"
    (site / f"{module}.py").write_text(files[f"{module}.py"], encoding="utf-8")
    dist = site / "timeline_source_daily_planet-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: timeline-source-daily-planet\nVersion: 0.1\n"
    )
    (dist / "entry_points.txt").write_text(f"[timeline_service]\ndaily_planet = {module}\n")
    return site


@pytest.fixture(scope="module", params=BACKENDS)
def docs_server(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Served]:
    """The served process as the README starts it (``serve --seed``), with the plugin
    guide's example plugin installed."""
    folder = tmp_path_factory.mktemp("docs")
    site = install_guide_plugin(folder)
    env = {"PYTHONPATH": str(site), "TIMELINE_RATE_LIMIT_PER_ADDRESS": "0"}
    if request.param == "sqlite":
        with Served(f"sqlite:///{folder / 'docs.sqlite'}", folder, env=env, args=("--seed",)) as s:
            yield s
    else:
        assert POSTGRES_URL
        with (
            scratch_postgres(POSTGRES_URL) as url,
            Served(url, folder, env=env, args=("--seed",)) as s,
        ):
            yield s


class Placeholders:
    """Turns an example's placeholders into values the running service gave."""

    def __init__(self, server: Served) -> None:
        self.server = server
        self.last_document: int | None = None

    def fill(self, command: str) -> str:
        base = self.server.url
        command = re.sub(r"https?://(?:127\.0\.0\.1|localhost):8000", base, command)
        command = re.sub(r"(?<![\w/])localhost:8000", base, command)
        if "ev_" in command:
            event = self.server.request("GET", "/v1/timeline?limit=1").json()["events"][0]["id"]
            command = re.sub(r"ev_[0-9a-f]{20}", event, command)
        if "cursor=" in command and "..." in command:
            cursor = self.server.request("GET", "/v1/timeline?limit=2").json()["next_cursor"]
            command = re.sub(r"cursor=[^'\s&]*\.\.\.", f"cursor={cursor}", command)
        if "If-None-Match" in command and "..." in command:
            url = re.search(r"'(http[^']+)'", command)
            assert url, command
            etag = requests.get(url.group(1), timeout=30).headers["ETag"]
            command = re.sub(r"\"v\d+-[0-9a-f]*\.\.\.\"", etag, command)
        if "/v1/documents/1" in command and self.last_document is not None:
            command = command.replace("/v1/documents/1", f"/v1/documents/{self.last_document}")
        assert "..." not in command, f"a placeholder the test cannot fill: {command}"
        return command


def run_curl(command: str, folder: Path) -> Response:
    """Run the example as a shell runs it (``$TIMELINE_API_KEYS`` expanded), with the real
    curl; its answer, as schemathesis reads answers."""
    words = shlex.split(command, comments=True)
    assert words[0] == "curl"
    method = next((words[i + 1] for i, w in enumerate(words) if w == "-X"), "GET")
    url = next(w for w in words if w.startswith("http"))
    headers_file, body_file = folder / "headers.txt", folder / "body.bin"
    # the headers are read from -D, so -i (headers into the body) is dropped
    line = re.sub(r" -i(?= )", "", command)
    line = line.replace("curl ", f"curl -sS -D {headers_file} -o {body_file} ", 1)
    done = subprocess.run(
        ["bash", "-c", line],
        env={**os.environ, "TIMELINE_API_KEYS": KEY},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    head = headers_file.read_bytes().decode("latin-1").strip().split("\r\n\r\n")[-1].split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in head[1:]:
        name, _, value = line.partition(": ")
        headers.setdefault(name.lower(), []).append(value)
    return Response(
        status_code=int(head[0].split()[1]),
        headers=headers,
        content=body_file.read_bytes(),
        request=requests.Request(method, url).prepare(),
        elapsed=0.0,
        message=head[0].split(" ", 2)[-1],
        encoding="utf-8",
        http_version="1.1",
        verify=True,
    )


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_every_curl_example_runs_and_keeps_the_contract(docs_server: Served, tmp_path) -> None:
    placeholders = Placeholders(docs_server)
    for where, example in EXAMPLES:
        command = placeholders.fill(example)
        answer = run_curl(command, tmp_path)
        expected = (304,) if "If-None-Match" in example else (200, 201, 204)
        detail = f"{where}: {example}\n-> {answer.status_code} {answer.content[:300]!r}"
        assert answer.status_code in expected, detail
        method, path = answer.request.method, urlsplit(answer.request.url).path
        operation = SCHEMA.find_operation_by_path(method, path)
        assert operation is not None, f"{where}: {method} {path} is not in openapi.yaml"
        if path == "/openapi.yaml":  # documented as text; schemathesis would parse it
            assert answer.headers["content-type"][0].startswith("application/yaml")
            assert yaml.safe_load(answer.content)["openapi"].startswith("3.")
        else:
            operation.validate_response(answer)
        if method == "POST" and answer.status_code in (200, 201):
            placeholders.last_document = answer.json()["document"]["id"]
