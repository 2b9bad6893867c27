"""Every move explained: a fix's log change split into matched price changes, entries and
exits (quality-adjusted) and re-weighting, with the routes behind each part (ADR 0215).

For a weighted geometric index ``ln L = sum_r w_r a_r`` (``a`` = quality- and
listing-adjusted log price) the split is exact: with ``M`` the routes in both fixes and
``u`` their weights renormalised over ``M``,

* matched     = sum_M (u1 + u0)/2 * (a1 - a0)
* re-weighting = sum_M (u1 - u0) * ((a1 + a0)/2 - c)
* entries     = sum_new  w1 * (a1 - mean_M1 a)  (how far the entrant is from what the others imply)
* exits       = -sum_gone w0 * (a0 - mean_M0 a)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
PARTS = ("matched", "entry", "exit", "reweighting")
TOP_ROUTES = 5


@dataclass(frozen=True, slots=True)
class RouteEffect:
    """One route's share of a day's log change, and which part it belongs to."""

    part: str
    provider: str
    model: str
    source: str
    log_effect: Decimal


@dataclass(frozen=True, slots=True)
class MoveAttribution:
    """The day's log change and its exact split; ``routes`` names the largest effects per part."""

    previous_date: date | None
    previous_level: Decimal | None
    log_change: Decimal
    matched: Decimal
    entries_exits: Decimal
    reweighting: Decimal
    routes: tuple[RouteEffect, ...]
    route_counts: tuple[tuple[str, int], ...]


def unchanged(previous_date: date, previous_level: Decimal | None) -> MoveAttribution:
    """The attribution of a day on which no input changed: nothing moved."""
    zero = Decimal(0)
    return MoveAttribution(previous_date, previous_level, zero, zero, zero, zero, (), ())


def _dec(value: float) -> Decimal:
    """``value`` to nine decimals; a zero is ``Decimal(0)`` (``0``, never ``0E-9``, in JSON)."""
    rounded = Decimal(f"{value:.9f}")
    return rounded if rounded else Decimal(0)


def route_effects(
    a1: FloatArray, a0: FloatArray, w1: FloatArray, w0: FloatArray
) -> dict[str, FloatArray]:
    """Per-route effects of each part (arrays over all routes; zero where not involved)."""
    matched = (w1 > 0) & (w0 > 0)
    new, gone = (w1 > 0) & ~matched, (w0 > 0) & ~matched
    m1, m0 = w1[matched].sum(), w0[matched].sum()
    u1 = np.where(matched, w1 / m1 if m1 else 0.0, 0.0)
    u0 = np.where(matched, w0 / m0 if m0 else 0.0, 0.0)
    a1z, a0z = np.nan_to_num(a1), np.nan_to_num(a0)
    level1, level0 = float(u1 @ a1z), float(u0 @ a0z)
    centre = 0.5 * (level1 + level0)
    return {
        "matched": np.where(matched, 0.5 * (u1 + u0) * (a1z - a0z), 0.0),
        "reweighting": np.where(matched, (u1 - u0) * (0.5 * (a1z + a0z) - centre), 0.0),
        "entry": np.where(new, w1 * (a1z - level1), 0.0),
        "exit": np.where(gone, -w0 * (a0z - level0), 0.0),
    }


def attribute(
    effects: dict[str, FloatArray],
    names: list[tuple[str, str, str]],
    previous_date: date | None,
    previous_level: Decimal | None,
    residual: float = 0.0,
) -> MoveAttribution:
    """Totals per part and the ``TOP_ROUTES`` largest route effects of each part.

    ``residual`` is movement no single route carries (GEKS: the multilateral part of the move);
    it is reported with re-weighting.
    """
    totals = {part: float(effects[part].sum()) for part in PARTS}
    totals["reweighting"] += residual
    routes: list[RouteEffect] = []
    counts: list[tuple[str, int]] = []
    for part in PARTS:
        values = effects[part]
        involved = np.flatnonzero(values != 0)
        counts.append((part, len(involved)))
        for i in involved[np.argsort(-np.abs(values[involved]), kind="stable")][:TOP_ROUTES]:
            source, provider, model = names[int(i)]
            routes.append(RouteEffect(part, provider, model, source, _dec(float(values[i]))))
    return MoveAttribution(
        previous_date,
        previous_level,
        _dec(sum(totals.values())),
        _dec(totals["matched"]),
        _dec(totals["entry"] + totals["exit"]),
        _dec(totals["reweighting"]),
        tuple(routes),
        tuple(counts),
    )
