"""The benchmark scripts still import: they call the library, so a renamed function breaks them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("path", sorted(BENCHMARKS.glob("*.py")), ids=lambda p: p.stem)
def test_benchmark_script_imports_and_its_entry_point_exists(path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # scripts share helpers (memory.py)
    spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)  # module level only: main() is not run
    if 'if __name__ == "__main__":' in path.read_text(encoding="utf-8"):
        assert callable(getattr(module, "main", None))
