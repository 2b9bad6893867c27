"""Commands of the quant area (filled in by that area's issue)."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    del root
