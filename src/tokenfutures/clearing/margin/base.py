"""One interface for every margin method: positions matrix in, per-account requirements out.

Kernels work in float64 over a positions matrix (accounts × contracts, lots) and per-lot USD
prices; results cross into money through ``core.money`` (``usd_from_float`` then ``round_up``
to the cent: a requirement is never rounded in the member's favour). See ADR 0402.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import numpy as np
import numpy.typing as npt

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import round_up, usd_from_float

FloatArray = npt.NDArray[np.float64]


def money_up(value: float) -> Decimal:
    """A float margin figure as money, rounded up to the cent (never in the member's favour)."""
    return round_up(usd_from_float(max(float(value), 0.0)))


def money_up_many(values: FloatArray) -> list[Decimal]:
    """``money_up`` of many floats at once (to the micro-USD half-even, then up to the cent).

    Vectorised for the daily default-fund sizing over every member; agrees with ``money_up``
    (tested) but for a value within float noise of a micro-USD tie.
    """
    micros = np.rint(np.maximum(np.asarray(values, dtype=np.float64), 0.0) * 1e6).astype(np.int64)
    return [Decimal(int(c)).scaleb(-2) for c in -(-micros // 10_000)]


@dataclass(frozen=True, slots=True)
class MarginRequirement:
    """One account's requirement under one method, in USD, with its named components."""

    method: str
    initial: Decimal
    maintenance: Decimal
    breakdown: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MarginResult:
    """Requirements of many accounts under one method (float arrays; money on request)."""

    method: str
    initial: FloatArray
    maintenance: FloatArray
    breakdown: Mapping[str, FloatArray]

    def requirement(self, row: int) -> MarginRequirement:
        """Row ``row`` of the result as money (rounded up to the cent)."""
        return MarginRequirement(
            method=self.method,
            initial=money_up(self.initial[row]),
            maintenance=money_up(self.maintenance[row]),
            breakdown={k: money_up(v[row]) for k, v in self.breakdown.items()},
        )


class MarginMethod(Protocol):
    """A margin method built from one day's market data (prices, volatilities, scenarios)."""

    @property
    def name(self) -> str: ...

    @property
    def contracts(self) -> tuple[str, ...]: ...

    def requirements(self, positions: FloatArray) -> MarginResult:
        """Requirements for a positions matrix whose columns follow ``contracts``."""
        ...


def check_positions(positions: FloatArray, contracts: Sequence[str]) -> FloatArray:
    """A C-contiguous float64 (accounts × contracts) view of ``positions``, or a ``ValueError``."""
    arr = np.ascontiguousarray(positions, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != len(contracts):
        raise InvalidParameterError(
            "positions", arr.shape, f"a matrix (accounts × {len(contracts)} contracts)"
        )
    return arr


def check_prices(prices: FloatArray, contracts: Sequence[str]) -> FloatArray:
    """Per-lot USD prices, one per contract, all finite and > 0."""
    arr = np.asarray(prices, dtype=np.float64)
    if arr.shape != (len(contracts),) or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise InvalidParameterError("prices", prices, f"{len(contracts)} finite prices > 0")
    return arr
