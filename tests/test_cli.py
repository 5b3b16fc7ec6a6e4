"""The command line: ingest files, folders and JSON lines with a closing summary; plugins."""

from __future__ import annotations

import json

from conftest import SEEDS, seed_manifest


def test_ingest_folder_jsonl_and_summary(runner, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    entry = seed_manifest()[4]
    (folder / "cnn.txt").write_text((SEEDS / entry["file"]).read_text(encoding="utf-8"))
    (folder / "empty.txt").write_text("   \n")
    (folder / "notes.md").write_text("ignored: not an article file type")
    lines = [
        json.dumps({"text": "Officials met in Geneva on March 3, 2021.", "title": "Geneva"}),
        json.dumps({"text": "Talks resumed on 4 March 2021.", "published_at": "2021-03-05"}),
        json.dumps({"text": "x", "colour": "red"}),
        "[1]",
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n")
    result = runner.invoke(
        args=["ingest", str(folder), str(tmp_path / "batch.jsonl"), "--published-at", "2023-02-16"]
    )
    assert result.exit_code == 0, result.output
    assert "ingested: 3, already present: 0, rejected: 3" in result.output
    assert "empty.txt" in result.output and "batch.jsonl:3" in result.output
    again = runner.invoke(args=["ingest", str(folder / "cnn.txt")])
    assert "ingested: 0, already present: 1, rejected: 0" in again.output


def test_ingest_with_preparing_processes(runner, seeded):
    """The seeds again (already present) and the outlets' second articles, in parallel."""
    articles = SEEDS.parent / "tests" / "data" / "articles"
    result = runner.invoke(args=["ingest", str(SEEDS), str(articles), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "ingested: 5, already present: 5, rejected: 0" in result.output
    assert runner.invoke(args=["check"]).output.strip() == "consistent"


def test_ingest_with_url_and_source(runner, client, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Officials met in Geneva on March 3, 2021, the ministry said.")
    result = runner.invoke(
        args=["ingest", str(path), "--url", "https://example.org/geneva", "--source", "generic"]
    )
    assert result.exit_code == 0, result.output
    doc = client.get("/v1/documents/1").json
    assert doc["url"] == "https://example.org/geneva" and doc["source"] == "generic"


def test_ingest_rejects_bad_options(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Talks resumed on 4 March 2021.")
    bad_date = runner.invoke(args=["ingest", str(path), "--published-at", "soon"])
    assert bad_date.exit_code != 0 and "--published-at" in bad_date.output
    unknown = runner.invoke(args=["ingest", str(path), "--source", "nope"])
    assert unknown.exit_code == 1 and "nope" in unknown.output


def test_plugins_lists_every_plugin_with_its_hooks_and_the_sources(runner):
    listed = json.loads(runner.invoke(args=["plugins", "--json"]).output)
    plugins = {p["name"]: p for p in listed["plugins"]}
    assert plugins["cnn"] == {
        **plugins["cnn"],
        "origin": "built-in",
        "hooks": ["register_sources"],
        "sources": ["cnn"],
        "formats": [],
    }
    assert plugins["formats"]["hooks"] == ["register_output_formats"]
    assert {"csv", "ics", "timelinejs"} <= set(plugins["formats"]["formats"])
    sources = {s["slug"]: s for s in listed["sources"]}
    assert sources["generic"]["origin"] == "built-in" and sources["cnn"]["domains"] == ["cnn.com"]
    table = runner.invoke(args=["plugins"]).output
    assert table.splitlines()[0].split() == ["plugin", "origin", "version", "hooks", "provides"]
    assert any(line.split()[:2] == ["source", "name"] for line in table.splitlines())


def test_new_plugin_scaffolds_a_package(runner, tmp_path):
    result = runner.invoke(args=["new-plugin", "Kyiv Independent", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "timeline-source-kyiv-independent"
    assert (folder / "pyproject.toml").is_file()
    assert "[project.entry-points.timeline_service]" in (folder / "pyproject.toml").read_text()
    again = runner.invoke(args=["new-plugin", "Kyiv Independent", "--dest", str(tmp_path)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_serve_runs_gunicorn_with_the_seeds(tmp_path):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # the README's quick start, as written: python3 -m timeline_service serve --seed
    env = dict(os.environ, TIMELINE_DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite'}")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "timeline_service",
            "serve",
            "--seed",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/timeline?limit=500") as r:
                    server = r.headers["Server"]
                    events = json.load(r)["events"]
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert server.startswith("gunicorn")
        assert {ref["document_id"] for e in events for ref in e["sources"]} == {1, 2, 3, 4, 5}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stdout.close()


def test_reresolve_redates_and_reports_what_moved(seeded, runner):
    """A claim dated by an older, wrong rule is re-dated from its stored words and anchor."""
    from sqlalchemy import select, update

    from timeline_service.store.models import DataVersion, Mention
    from timeline_service.web.database import session_scope

    with seeded.app_context(), session_scope() as session:
        mention = session.scalars(select(Mention).where(Mention.when_text == "last February")).one()
        right = (mention.id, mention.date_value)
        session.execute(
            update(Mention)
            .where(Mention.id == mention.id)
            .values(date_value="2023-02", resolver_version="0")
        )
        version = session.get(DataVersion, 1).version
    dry = runner.invoke(args=["reresolve", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "'last February' 2023-02 (month) -> 2022-02 (month)" in dry.output
    assert "dry run" in dry.output
    result = runner.invoke(args=["reresolve"])
    assert result.exit_code == 0, result.output
    assert "1 moved" in result.output
    with seeded.app_context(), session_scope() as session:
        assert (right[0], session.get(Mention, right[0]).date_value) == right
        assert session.get(DataVersion, 1).version > version
    again = runner.invoke(args=["reresolve"])
    assert "0 moved" in again.output
    assert runner.invoke(args=["check"]).output.strip() == "consistent"


def test_seed_from_a_folder_and_a_clear_error_without_one(runner, tmp_path):
    loaded = runner.invoke(args=["seed", "--dir", str(SEEDS)])
    assert loaded.exit_code == 0, loaded.output
    assert f"ingested: {len(seed_manifest())}," in loaded.output
    empty = runner.invoke(args=["seed", "--dir", str(tmp_path)])
    assert empty.exit_code == 1
    assert f"no seed articles at {tmp_path}" in empty.output and "seed --dir" in empty.output


def test_ingest_applies_the_document_limits_of_the_api(runner, tmp_path):
    """A file no article looks like (one 6,000-character run, 6,000 paragraphs) is refused
    with the reason the API gives, and the rest of the folder is stored."""
    entry = seed_manifest()[0]
    (tmp_path / "article.txt").write_text((SEEDS / entry["file"]).read_text(encoding="utf-8"))
    (tmp_path / "run.txt").write_text("word " * 1200)
    (tmp_path / "lines.txt").write_text("Line.\n" * 6000)
    result = runner.invoke(args=["ingest", str(tmp_path), "--published-at", "2022-02-24"])
    assert result.exit_code == 0, result.output
    assert "ingested: 1, already present: 0, rejected: 2" in result.output
    assert "run.txt: text: a run of 6,000 characters without a sentence break" in result.output
    assert "lines.txt: text: 6,000 paragraphs; at most 5,000 are accepted" in result.output


MONTHS = "January February March April May June July August September October November December"


def long_chronicle(n: int = 1000) -> str:
    """An archive article with ``n`` dated sentences, each on a month of its own."""
    months = MONTHS.split()
    sentences = [
        f"The council of district {i} voted on its budget in {months[i % 12]} {1900 + i // 12}."
        for i in range(n)
    ]
    return "\n".join(" ".join(sentences[j : j + 5]) for j in range(0, n, 5))


def test_a_document_with_a_thousand_dates_is_stored_with_its_batch(runner, app, tmp_path):
    """One statement per item would exceed what SQLite can parse; the batch it rides in
    is stored whole, the other document included."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "chronicle.txt").write_text(long_chronicle())
    (folder / "cnn.txt").write_text((SEEDS / seed_manifest()[4]["file"]).read_text())
    result = runner.invoke(args=["ingest", str(folder), "--published-at", "1990-06-01"])
    assert result.exit_code == 0, result.output
    assert "ingested: 2, already present: 0, rejected: 0" in result.output
    from timeline_service.store.models import Mention
    from timeline_service.web.database import get_session

    with app.app_context():
        from sqlalchemy import func, select

        dated = get_session().scalar(
            select(func.count()).select_from(Mention).where(Mention.granularity == "month")
        )
    assert dated >= 1000
