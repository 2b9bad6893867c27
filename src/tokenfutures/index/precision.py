"""One fixed Decimal context for index arithmetic, so results never depend on the caller's."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, localcontext
from typing import Any

INDEX_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def exact() -> Any:
    """A context manager running Decimal arithmetic at 28 digits, half-even."""
    return localcontext(INDEX_CONTEXT)
