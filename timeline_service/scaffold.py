"""``timeline-service new-plugin NAME``: write a pip-installable source plugin package.

The package it writes works as generated: its module registers one source through the
``timeline_service`` entry point group, and its tests (a sample page, the outlet's
expectations and the conformance kit) pass before the author changes a line. The author
then replaces the sample with real pages from the outlet and adjusts the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PluginNames", "create_plugin", "plugin_names"]


@dataclass(frozen=True)
class PluginNames:
    """Every spelling of a plugin's name the package needs."""

    slug: str  # daily-planet: the source slug and the entry point name
    display: str  # Daily Planet: the outlet's name as people write it
    module: str  # timeline_source_daily_planet
    cls: str  # DailyPlanet
    distribution: str  # timeline-source-daily-planet


def plugin_names(name: str) -> PluginNames:
    """Derive the names from what the author typed ("daily-planet" or "Daily Planet")."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words or not words[0][0].isalpha():
        raise ValueError(f"plugin name {name!r} must start with a letter")
    slug = "-".join(w.lower() for w in words)
    if len(slug) > 60:
        raise ValueError(f"plugin name {name!r} is too long")
    display = name.strip() if re.search(r"[A-Z ]", name) else " ".join(w.title() for w in words)
    return PluginNames(
        slug=slug,
        display=display,
        module="timeline_source_" + slug.replace("-", "_"),
        cls="".join(w[:1].upper() + w[1:] for w in words),
        distribution="timeline-source-" + slug,
    )


def create_plugin(name: str, dest: Path) -> Path:
    """Write the plugin package for ``name`` under ``dest``; return the package folder.

    Raises ``ValueError`` for an unusable name and ``FileExistsError`` rather than
    overwrite an existing folder.
    """
    names = plugin_names(name)
    root = Path(dest) / names.distribution
    if root.exists():
        raise FileExistsError(f"{root} already exists")
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": README,
        f"{names.module}.py": MODULE,
        f"tests/test_{names.module}.py": TESTS,
        "tests/samples/sample_1.txt": SAMPLE,
    }
    for relative, template in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(template, names), encoding="utf-8")
    return root


def _fill(template: str, names: PluginNames) -> str:
    out = template
    for key, value in {
        "SLUG": names.slug,
        "DISPLAY": names.display,
        "MODULE": names.module,
        "CLASS": names.cls,
        "DISTRIBUTION": names.distribution,
        "DISPLAY_RE": re.escape(names.display).replace("\\ ", " "),
    }.items():
        out = out.replace("{{" + key + "}}", value)
    return out


PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "{{DISTRIBUTION}}"
version = "0.1.0"
description = "{{DISPLAY}} source plugin for Timeline Service"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["timeline-service"]

[project.optional-dependencies]
test = ["pytest>=8"]

# This table is what makes the service find the plugin once it is pip-installed.
[project.entry-points.timeline_service]
{{SLUG}} = "{{MODULE}}"

[tool.setuptools]
py-modules = ["{{MODULE}}"]

[tool.pytest.ini_options]
testpaths = ["tests"]

[tool.ruff]
line-length = 100

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "SIM", "RUF"]
ignore = ["RUF001", "RUF002", "RUF003"]  # news text has typographic dashes and quotes

[tool.ruff.lint.isort]
known-first-party = ["{{MODULE}}"]
"""

README = """\
# {{DISTRIBUTION}}

A [Timeline Service](https://example.org/timeline-service) source plugin for {{DISPLAY}}.

    pip install -e .                 # registers the plugin with the service
    timeline-service plugins         # lists {{SLUG}}
    pytest                           # the outlet's tests and the conformance kit

Replace `tests/samples/` with real pages from the outlet, then adjust `SIGNATURE`, `FOOTER`
and `JUNK` in `{{MODULE}}.py` until the tests say the body is clean.
"""

MODULE = '''\
"""{{DISPLAY}}: a Timeline Service source plugin.

Recognises the outlet's pages (by URL domain, or by ``SIGNATURE`` when no URL is given)
and turns them into a clean Article: the footer block from ``FOOTER`` on and every
``JUNK`` line go to the boilerplate, never into the body.
"""

from __future__ import annotations

import re

from timeline_service.sdk import Article, RawDocument, Source, hookimpl, textkit

# A line only this outlet prints: recognises its pages when no URL is given.
SIGNATURE = re.compile(r"^© {{DISPLAY_RE}} \\d{4}$", re.MULTILINE)
# The first line of the block that ends every page (related links, appeals, comments).
FOOTER = re.compile(r"^(?:Related stories|Read more|Comments)$")
# Single junk lines anywhere on the page.
JUNK = re.compile(r"^(?:Advertisement|Share this article|Subscribe)$")


class {{CLASS}}(Source):
    slug = "{{SLUG}}"
    name = "{{DISPLAY}}"
    domains = ("{{SLUG}}.example",)
    homepage = "https://{{SLUG}}.example"
    language = "en"
    timezone = "UTC"  # the outlet's IANA zone: a date without a time is midnight there

    def match_text(self, text: str) -> float:
        return 0.9 if SIGNATURE.search(text) else 0.0

    def parse(self, raw: RawDocument) -> Article:
        page = textkit.read(raw)  # raises ParseError on empty or garbage input
        draft = textkit.Draft(lines=page.lines)
        draft.cut_from(FOOTER)
        draft.drop(lambda line: bool(JUNK.match(line) or SIGNATURE.match(line)))
        textkit.take_title(draft, raw, page=page)
        textkit.take_byline(draft)
        textkit.take_date_line(draft)
        textkit.take_dateline(draft)
        return draft.finish(raw, self, page)


@hookimpl
def register_sources() -> list[Source]:
    return [{{CLASS}}()]
'''

TESTS = '''\
"""{{DISPLAY}} plugin tests: the outlet's own expectations, then the conformance kit."""

from __future__ import annotations

import importlib.metadata
from datetime import date
from pathlib import Path

import pytest
from timeline_service.conformance import check_plugin
from timeline_service.sdk import RawDocument

import {{MODULE}} as plugin

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.txt"))


def sample(n: int = 0) -> str:
    return SAMPLES[n].read_text(encoding="utf-8")


def test_sample_is_cleaned() -> None:
    article = plugin.{{CLASS}}().parse(RawDocument(text=sample()))
    assert article.title == "City council approves new bridge over the river"
    assert article.byline == "Jane Reporter"
    assert article.published_at is not None
    assert article.published_at.date() == date(2024, 3, 5)
    assert article.paragraphs[0].startswith("The city council voted on Tuesday")
    assert article.paragraphs[-1].endswith("after inspectors found cracks in its piers.")
    for junk in ("Advertisement", "Related stories", "Council elections set for May", "©"):
        assert not any(junk in p for p in article.paragraphs), junk


def test_recognised_without_url() -> None:
    assert plugin.{{CLASS}}().match(RawDocument(text=sample())) > 0.5
    assert plugin.{{CLASS}}().match(RawDocument(text="Some other outlet's story.")) == 0


def test_conforms() -> None:
    check_plugin(plugin, {"{{SLUG}}": [sample(n) for n in range(len(SAMPLES))]})


def test_registered_once_installed() -> None:
    """Runs after ``pip install``: the service finds the plugin through its entry point."""
    found = importlib.metadata.entry_points(group="timeline_service", name="{{SLUG}}")
    if not found:
        pytest.skip("not installed; run pip install -e .")
    from timeline_service.plugins import get_sources

    assert type(get_sources()["{{SLUG}}"]).__name__ == "{{CLASS}}"
'''

SAMPLE = """\
City council approves new bridge over the river
By Jane Reporter
March 5, 2024
The city council voted on Tuesday to approve a new bridge over the river, the mayor's office \
said in a statement.
Construction is expected to start next spring and to take about two years, officials said.
Advertisement
The bridge will replace a crossing that was closed in 2021 after inspectors found cracks in \
its piers.
Related stories
Council elections set for May
© {{DISPLAY}} 2024
"""
