"""Test helpers: fills and a small clearing house."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.positions import Trade

#: Stand-in for the exchange's trade event (a frozen dataclass satisfying ``Fill``).
Fill = Trade


def sit(symbol: str, last_day: date = date(2027, 3, 31)) -> ClearedContract:
    """A SIT contract with the paper's economics: tick 0.01 USD per M SIT, 1 lot = 1M SIT."""
    return ClearedContract(symbol, Decimal("0.01"), Decimal(1), last_day)


def house_with(*symbols: str) -> ClearingHouse:
    """A clearing house clearing ``symbols``."""
    return ClearingHouse({s: sit(s) for s in symbols})
