"""The package's imports point down its layers, never up and never in a circle.

Read from the source (every ``import`` in radar/**/*.py, including those inside functions and
under ``if TYPE_CHECKING``), not from what happens to be loaded, so an import hidden in a
function to dodge a cycle counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "radar"

# Lowest first. A module may import its own layer and the layers below, never one above.
# Each entry names a module or a package (all modules under it).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("radar", "radar.config", "radar.records", "radar.errors", "radar.timefmt", "radar.taxonomy"),
    ("radar.store",),
    ("radar.ingest", "radar.classify", "radar.series"),
    ("radar.staying", "radar.demo"),
    ("radar.workflows",),  # the flows every shell runs the same way
    ("radar.chart", "radar.chart_judgment", "radar.digest"),  # an edition drawn or mailed
    ("radar.scheduler",),  # the scheduled jobs: flows and the digest
    ("radar.service",),  # `radar run`: the scheduler and the demo server
    ("radar.cli", "radar.app"),
)

# Known upward imports, each (importer, imported), to be removed by the work that fixes it.
# Add nothing here without a note saying who removes it.
KNOWN_EXCEPTIONS: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imports(module: str) -> list[tuple[str, int]]:
    """Each radar module ``module`` imports, with the line, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: write radar imports absolutely"
            base = node.module or ""
            # "from radar import chart" imports a module; "from radar.x import f" a name in one.
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES:
                found.add((target, node.lineno))
    return sorted(found)


def _layer(module: str) -> int | None:
    """The layer of the longest LAYERS entry that is the module or a package holding it."""
    best: tuple[int, int] | None = None
    for rank, entries in enumerate(LAYERS):
        for entry in entries:
            if (module == entry or module.startswith(entry + ".")) and (
                best is None or len(entry) > best[1]
            ):
                best = (rank, len(entry))
    return None if best is None else best[0]


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in MODULES if _layer(m) is None)
    assert not unplaced, f"add these modules (or their package) to LAYERS: {unplaced}"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for module in MODULES:
        for target, line in _imports(module):
            own, other = _layer(module), _layer(target)
            if own is None or other is None or other <= own:
                continue
            if (module, target) not in KNOWN_EXCEPTIONS:
                upward.append(f"{module} (line {line}) imports {target}, a higher layer")
    assert not upward, "\n".join(upward)


def test_known_exceptions_are_still_needed() -> None:
    """An exception whose import is gone must leave the list, or it would hide a new one."""
    edges = {(module, target) for module in MODULES for target, _ in _imports(module)}
    assert not sorted(KNOWN_EXCEPTIONS - edges)


def test_no_import_cycles() -> None:
    """No two modules import each other, even through a chain or from inside a function."""
    graph = {module: {target for target, _ in _imports(module)} - {module} for module in MODULES}
    cycles = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(" -> ".join([*trail[trail.index(module) :], module]))
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("radar.classify.weak", "radar.staying.signals"),  # classify never imports staying
        ("radar.store.db", "radar.classify.mentions"),  # store never imports classify
        ("radar.store.db", "radar.ingest.fetch"),  # ...nor ingest
        ("radar.taxonomy.model", "radar.store.db"),
        ("radar.staying.rings", "radar.workflows"),
        ("radar.workflows", "radar.digest.send"),  # the digest sits above the flows
        ("radar.scheduler", "radar.cli"),
    ],
)
def test_the_layers_forbid_the_imports_the_design_rules_out(importer: str, imported: str) -> None:
    assert _layer(importer) < _layer(imported)  # type: ignore[operator]
