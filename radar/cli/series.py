"""Adoption and attention series: the `radar series` command group.

A minimal group so collectors can register their commands; `radar import-series` and the
series summary live here on the branch that builds them (the lead merges the two).
"""

from __future__ import annotations

import typer

series_app = typer.Typer(help="Adoption and attention series: collect, check health.")
