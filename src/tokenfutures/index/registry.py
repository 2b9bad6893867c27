"""Methodologies by name: how the index service turns price inputs into a daily fix history.

An :class:`IndexMethod` is anything with a ``version`` and a ``history(inputs, start, end)``
that returns one :class:`IndexFixing` per day; the versions of ``methodology_named`` (tpi-1.0,
tpi-2.0) are resolved here by name, so the CLI, ``serve``, the venue scheduler and the API
select a methodology the same way (default :data:`DEFAULT_METHODOLOGY`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import IndexFixing
from tokenfutures.index.history import daily_history
from tokenfutures.index.methodology import (
    DEFAULT_METHODOLOGY,
    TPI2_VERSION,
    Methodology,
    methodology_named,
)
from tokenfutures.index.observations import PriceObservation

Series = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class IndexInputs:
    """Everything a fix is computed from: prices, capability scores, delistings, and their names."""

    observations: tuple[PriceObservation, ...]
    capabilities: CapabilityBook
    delisted: Mapping[Series, date] = field(default_factory=dict)
    price_source: str = "prices"
    capability_source: str = "capabilities"
    price_problems: int = 0

    def __post_init__(self) -> None:
        if not self.observations:
            raise InvalidParameterError("observations", self.price_source, "at least one price")

    def summary(self) -> str:
        """One line for people: what the fixes were computed from."""
        return (
            f"{self.price_source}: {len(self.observations)} observations kept, "
            f"{self.price_problems} problems reported; capability: {self.capability_source}"
        )

    def span(self, until: date) -> tuple[date, date]:
        """First and last effective dates of the prices on or before ``until`` (announced
        future prices left out)."""
        days = [o.effective for o in self.observations if o.effective <= until]
        if not days:
            raise InvalidParameterError("prices", self.price_source, f"prices dated by {until}")
        return min(days), max(days)

    @property
    def first_day(self) -> date:
        """The earliest effective date in the prices: where a full history starts."""
        return min(o.effective for o in self.observations)


class IndexMethod(Protocol):
    """A methodology the index service can run: its parameters, version and daily history."""

    @property
    def methodology(self) -> Methodology:
        """The declared parameters (they also decide which grades the inputs carry)."""
        ...

    @property
    def version(self) -> str:
        """The methodology's published version name (``tpi-1.0`` ...)."""
        ...

    def history(self, inputs: IndexInputs, start: date, end: date) -> Sequence[IndexFixing]:
        """One fix per calendar day from ``start`` to ``end`` inclusive."""
        ...


@dataclass(frozen=True, slots=True)
class DailyFixingMethod:
    """A methodology fixed day by day by :func:`daily_history` (tpi-1.0 and its variants)."""

    methodology: Methodology

    @property
    def version(self) -> str:
        """The declared methodology version."""
        return self.methodology.version

    def history(self, inputs: IndexInputs, start: date, end: date) -> list[IndexFixing]:
        """Daily fixes over ``[start, end]`` with the inputs' capability book and delistings."""
        return daily_history(
            inputs.observations,
            self.methodology,
            start,
            end,
            inputs.capabilities,
            inputs.delisted,
        )


def resolve_methodology(name: str | None = None, adjustment: str = "ratio") -> IndexMethod:
    """The methodology ``name`` (default: :data:`DEFAULT_METHODOLOGY`) as the service runs it.

    The versions of :func:`methodology_named` (tpi-1.0, tpi-2.0) run day by day through
    :func:`daily_history`, which dispatches on the version; ``adjustment`` applies to tpi-1.0.
    """
    key = name or DEFAULT_METHODOLOGY
    if adjustment not in ("ratio", "hedonic", "none"):
        raise InvalidParameterError("adjustment", adjustment, "'ratio', 'hedonic' or 'none'")
    if key == TPI2_VERSION:
        return DailyFixingMethod(methodology_named(key))
    return DailyFixingMethod(methodology_named(key, adjustment=adjustment))
