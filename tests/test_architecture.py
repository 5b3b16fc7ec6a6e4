"""The import rules of the design, read from the code: each layer imports only the layers
below it, the cores are pure, storage knows nothing of HTTP, plugins see only the SDK.

Every ``import`` and ``from ... import`` counts, at module level or inside a function,
except those under ``if TYPE_CHECKING:`` (annotations only).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "timeline_service"

#: the layers, bottom up; a module may import its own layer and those below
LAYERS = {
    "text": 0,
    "temporal": 1,
    "sdk": 2,
    "extract": 3,
    "store": 4,
    "events": 5,
    "hookspecs": 6,
    "plugins": 6,
    "pipeline": 7,
    "web": 8,
    # the faces and the glue: the app factory, the CLI, the server, the kit for plugin tests
    "__init__": 9,
    "__main__": 9,
    "cli": 9,
    "config": 9,
    "conformance": 9,
    "gevent_worker": 9,
    "scaffold": 9,
    "server": 9,
}
#: the Alembic scripts belong to storage: they import the models, the store finds them
LAYERS["migrations"] = LAYERS["store"]
#: third-party packages a pure core must not import
NOT_PURE = ("flask", "sqlalchemy", "gunicorn", "gevent", "werkzeug", "alembic", "marshmallow")
PURE = {"text", "temporal", "sdk", "extract", "events"}
#: the one package of ``events`` that applies a clustering to the database
EVENTS_STORE = "timeline_service.events.store"


def in_events_store(name: str) -> bool:
    return name == EVENTS_STORE or name.startswith(EVENTS_STORE + ".")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[str]:
    """Absolute names of every module ``path`` imports (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append(target)
            # "from . import x" imports the module x
            found += [f"{target}.{alias.name}" for alias in node.names]
    return found


def layer_of(module: str) -> str | None:
    """The layer of a module of the package; None outside it, and for the package itself
    (which every import of a submodule runs)."""
    parts = module.split(".")
    if parts[0] != "timeline_service" or module == "timeline_service":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


SOURCES = sorted(PACKAGE.rglob("*.py"))


def existing(module: str) -> bool:
    path = ROOT / Path(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_module_has_a_layer() -> None:
    missing = {layer_of(module_name(p)) or "__init__" for p in SOURCES} - set(LAYERS)
    assert not missing


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_layer_imports_only_the_layers_below_it(path: Path) -> None:
    mine = layer_of(module_name(path)) or "__init__"
    wrong = [
        target
        for target in imports(path)
        if (theirs := layer_of(target)) is not None
        and existing(target)
        and LAYERS[theirs] > LAYERS[mine]
    ]
    assert not wrong, f"{module_name(path)} ({mine}) imports a layer above it: {wrong}"


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in SOURCES
        if layer_of(module_name(p)) in PURE and not in_events_store(module_name(p))
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_the_cores_are_pure(path: Path) -> None:
    """The date engine, the SDK, extraction and clustering are functions over dataclasses:
    no web framework, no database, no server."""
    impure = [t for t in imports(path) if t.split(".")[0] in NOT_PURE]
    assert not impure, f"{module_name(path)} imports {impure}"


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE / "store").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_storage_knows_nothing_of_http(path: Path) -> None:
    web = [t for t in imports(path) if t.split(".")[0] in ("flask", "werkzeug", "marshmallow")]
    assert not web, f"{module_name(path)} imports {web}"


def test_only_the_events_store_and_the_store_touch_sql_among_the_cores() -> None:
    """SQL lives in ``store/`` and ``events/store/`` only."""
    touching = {
        module_name(p)
        for p in SOURCES
        if layer_of(module_name(p)) in PURE
        and any(t.split(".")[0] == "sqlalchemy" for t in imports(p))
    }
    assert touching and all(in_events_store(name) for name in touching), touching


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "plugins").glob("*.py")) + sorted((ROOT / "examples").rglob("timeline_*.py")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_plugins_import_only_the_sdk(path: Path) -> None:
    used = {t for t in imports(path) if t.split(".")[0] == "timeline_service"}
    outside = {
        t
        for t in used
        if not (t == "timeline_service.sdk" or t.startswith("timeline_service.sdk."))
    }
    assert not outside, f"{path.name} imports {sorted(outside)}"


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The reader itself: an upward import inside a function is found."""
    sample = PACKAGE / "temporal" / "_probe_for_test.py"
    sample.write_text("def f():\n    from ..web import auth\n    return auth\n")
    try:
        found = imports(sample)
        assert "timeline_service.web.auth" in found
        assert LAYERS[layer_of("timeline_service.web.auth") or ""] > LAYERS["temporal"]
    finally:
        sample.unlink()
