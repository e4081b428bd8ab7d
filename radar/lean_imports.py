"""Import sqlite-utils without the pandas and numpy it would load on the way (0.4 s).

``sqlite_utils.db`` imports pandas and numpy whenever they are installed (streamlit brings
pandas) only to map their scalar types to column types when it infers a new table's schema.
The store never does that: every table comes from a named migration in ``radar.store.db``.
Yet the import alone took 0.38 s of the 0.65 s a `radar feeds` needed to start
(``python -X importtime``). So sqlite-utils is imported first, here, with the two hidden
for the length of that one import; later imports of pandas or numpy (the app, the
classifier) load them as usual. When either is already loaded, nothing is hidden.

``radar/__init__.py`` imports this module first, so it runs before any module of the
package can import sqlite-utils.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

HIDDEN = frozenset({"pandas", "numpy"})


class _Hide(importlib.abc.MetaPathFinder):
    """Refuse to find the hidden packages, as if they were not installed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"{fullname} is hidden while sqlite-utils loads")
        return None


def _import_sqlite_utils() -> None:
    if "sqlite_utils" in sys.modules or any(name in sys.modules for name in HIDDEN):
        return
    hide = _Hide()
    sys.meta_path.insert(0, hide)
    try:
        import sqlite_utils  # noqa: F401  (the point of this module)
    finally:
        sys.meta_path.remove(hide)


_import_sqlite_utils()
