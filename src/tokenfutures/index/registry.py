"""Methodologies by name: how the index service turns price inputs into a daily fix history.

A methodology is anything with a ``version`` and a ``history(inputs, start, end)`` that returns
one :class:`IndexFixing` per day; tpi-1.0 is the first. New ones register here under their
version, so the CLI, ``serve``, the venue scheduler and the API select them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import IndexFixing
from tokenfutures.index.history import daily_history
from tokenfutures.index.methodology import METHODOLOGY_VERSION, Adjustment, Methodology
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

    @property
    def first_day(self) -> date:
        """The earliest effective date in the prices: where a full history starts."""
        return min(o.effective for o in self.observations)


class IndexMethod(Protocol):
    """A methodology the index service can run: its version and its daily history."""

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


def _tpi_1_0(adjustment: Adjustment) -> IndexMethod:
    return DailyFixingMethod(Methodology(adjustment=adjustment))


_REGISTRY: dict[str, Callable[[Adjustment], IndexMethod]] = {METHODOLOGY_VERSION: _tpi_1_0}
#: The methodology ``serve``, the API and ``index`` commands use unless told otherwise.
DEFAULT_METHODOLOGY = METHODOLOGY_VERSION


def register_methodology(name: str, make: Callable[[Adjustment], IndexMethod]) -> None:
    """Make a methodology selectable by ``name`` (its version), e.g. when a new one lands."""
    _REGISTRY[name] = make


def methodology_names() -> list[str]:
    """The registered methodology versions, sorted."""
    return sorted(_REGISTRY)


def resolve_methodology(name: str | None = None, adjustment: Adjustment = "ratio") -> IndexMethod:
    """The registered methodology ``name`` (default: :data:`DEFAULT_METHODOLOGY`)."""
    key = name or DEFAULT_METHODOLOGY
    make = _REGISTRY.get(key)
    if make is None:
        raise InvalidParameterError("methodology", key, f"one of {methodology_names()}")
    if adjustment not in ("ratio", "hedonic", "none"):
        raise InvalidParameterError("adjustment", adjustment, "'ratio', 'hedonic' or 'none'")
    return make(adjustment)
