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


def funded_house() -> ClearingHouse:
    """F cleared; CCP capital 10 with skin 2; A, B, C, D deposit 10, 100, 100, 100 and fund
    3, 4, 4, 2; A bought 100 F from B at 200 ticks (not yet marked)."""
    house = house_with("F")
    house.fund_ccp(Decimal(10), Decimal(2))
    for member, cash, fund in (("A", 10, 3), ("B", 100, 4), ("C", 100, 4), ("D", 100, 2)):
        house.deposit(member, Decimal(cash))
        house.contribute_default_fund(member, Decimal(fund))
    house.apply_fills([Fill(1, "F", 200, 100, "A", "B")])
    return house
