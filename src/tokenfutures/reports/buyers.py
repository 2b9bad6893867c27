"""Buyer archetypes read from the TPI's own audit trail: what each kind of buyer paid each day.

The daily fixes carry every qualifying route with its blended list price (``audit.constituents``)
and the cheapest qualifying route (``cheapest_to_deliver``), so the buyers' costs come from the
same data and the same SIT gate as the index they hedge with (ADR 0131):
- **locked**: keeps the model that was the cheapest qualifying route on the first day, paying
  its blended list price (carried at its last price if it leaves the index);
- **switching**: always buys the day's cheapest qualifying route, per SIT-equivalent;
- **basket**: equal spend on every route qualifying on the first day, held fixed (routes that
  leave are carried at their last price); the cost is the basket's price relative (start = 1);
- **index**: pays the TPI itself — the hedge's own underlying, so only the window basis is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index import IndexFixing

ARCHETYPES = ("locked", "switching", "basket", "index")


@dataclass(frozen=True, slots=True)
class BuyerSeries:
    """One archetype's daily unit price (what it pays per unit it consumes), by fixing date."""

    name: str
    description: str
    prices: dict[date, float]


def _published(fixes: Sequence[IndexFixing], start: date) -> list[IndexFixing]:
    kept = [f for f in fixes if f.level is not None and f.as_of >= start]
    if not kept:
        raise InvalidParameterError("fixes", start.isoformat(), "a published fix on or after it")
    return kept


def _route_prices(fix: IndexFixing) -> dict[tuple[str, str], float]:
    prices: dict[tuple[str, str], float] = {}
    for c in fix.audit.constituents:
        prices.setdefault((c.provider, c.model), float(c.blended))
    return prices


def _carried(
    fixes: Sequence[IndexFixing], routes: Sequence[tuple[str, str]]
) -> list[dict[tuple[str, str], float]]:
    """Per fix, each route's price, carried at its last price once it has left the index."""
    last: dict[tuple[str, str], float] = {}
    rows = []
    for fix in fixes:
        today = _route_prices(fix)
        for route in routes:
            if route in today:
                last[route] = today[route]
        rows.append(dict(last))
    return rows


def locked_buyer(fixes: Sequence[IndexFixing], start: date) -> BuyerSeries:
    """The buyer who stays on the first day's cheapest qualifying route."""
    kept = _published(fixes, start)
    first = kept[0].cheapest_to_deliver
    if first is None:
        raise InvalidParameterError("fixes", kept[0].as_of, "a cheapest route on the first day")
    route = (first.provider, first.model)
    rows = _carried(kept, [route])
    prices = {f.as_of: row[route] for f, row in zip(kept, rows, strict=True) if route in row}
    return BuyerSeries("locked", f"locked to {route[0]}/{route[1]} (blended list price)", prices)


def switching_buyer(fixes: Sequence[IndexFixing], start: date) -> BuyerSeries:
    """The buyer who buys the cheapest qualifying route every day (per SIT-equivalent)."""
    prices = {
        f.as_of: float(f.cheapest_to_deliver.adjusted_price)
        for f in _published(fixes, start)
        if f.cheapest_to_deliver is not None
    }
    return BuyerSeries("switching", "cheapest qualifying route each day (per SIT)", prices)


def basket_buyer(fixes: Sequence[IndexFixing], start: date) -> BuyerSeries:
    """Equal spend on the first day's qualifying routes, held fixed; price relative to day one."""
    kept = _published(fixes, start)
    base = _route_prices(kept[0])
    routes = sorted(base)
    rows = _carried(kept, routes)
    prices = {
        f.as_of: sum(row[r] / base[r] for r in routes) / len(routes)
        for f, row in zip(kept, rows, strict=True)
    }
    text = f"fixed basket of the {len(routes)} routes qualifying on {kept[0].as_of}, equal spend"
    return BuyerSeries("basket", text, prices)


def index_buyer(fixes: Sequence[IndexFixing], start: date) -> BuyerSeries:
    """A buyer whose unit cost is the TPI itself (only the settlement window separates them)."""
    prices = {f.as_of: float(f.level) for f in _published(fixes, start) if f.level is not None}
    return BuyerSeries("index", "pays the TPI fix each day", prices)


def buyer_archetypes(fixes: Sequence[IndexFixing], start: date) -> list[BuyerSeries]:
    """The four archetypes, in :data:`ARCHETYPES` order."""
    return [
        locked_buyer(fixes, start),
        switching_buyer(fixes, start),
        basket_buyer(fixes, start),
        index_buyer(fixes, start),
    ]
