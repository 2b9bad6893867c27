"""The pre-trade fast path decides exactly as clearing's ``check_order`` (property test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.positions import Trade
from tokenfutures.clearing.pretrade import check_order
from tokenfutures.venue.risk import PreTradeRisk

CONTRACTS = ("SITZ26", "SITF27", "SITG27")
PRICES = {"SITZ26": 350, "SITF27": 360, "SITG27": 372}


def _history(days: int, seed: int = 5) -> dict[str, list[int]]:
    """Seeded settlement histories (ticks) with jumps, one month listed 40 days later."""
    rng = np.random.default_rng(seed)
    out = {}
    for i, symbol in enumerate(CONTRACTS):
        moves = rng.normal(0, 0.02, days) + rng.normal(-0.03, 0.1, days) * (rng.random(days) < 0.1)
        ticks = np.maximum(np.rint(PRICES[symbol] * np.exp(np.cumsum(moves))), 1).astype(int)
        out[symbol] = ticks.tolist()[40 if i == 2 else 0 :]
    return out


HISTORIES = {"short": {}, "warm-up": _history(60), "full": _history(300)}


def _house(fills: list[tuple[int, int]], cash: list[int]) -> ClearingHouse:
    contracts = {
        s: ClearedContract(s, Decimal("0.01"), Decimal(1), date(2027, 1, 1)) for s in CONTRACTS
    }
    house = ClearingHouse(contracts=contracts)
    for account, amount in zip(("a", "b"), cash, strict=True):
        if amount:
            house.deposit(account, Decimal(amount) / 100)
    for i, (which, qty) in enumerate(fills):
        contract = CONTRACTS[which]
        buyer, seller = ("a", "b") if qty > 0 else ("b", "a")
        house.apply_fills([Trade(i, contract, PRICES[contract], abs(qty), buyer, seller)])
    return house


@settings(max_examples=150, deadline=None)
@given(
    fills=st.lists(st.tuples(st.integers(0, 2), st.integers(-50, 50)), max_size=6),
    cash=st.lists(st.integers(0, 5_000), min_size=2, max_size=2),
    account=st.sampled_from(["a", "b", "c"]),
    which=st.integers(0, 2),
    signed=st.integers(-80, 80).filter(bool),
    method=st.sampled_from(["hs-es", "paper-eq7", "span-scan", "fhs-var"]),
    history=st.sampled_from(sorted(HISTORIES)),
)
def test_fast_path_matches_check_order(
    fills: list[tuple[int, int]],
    cash: list[int],
    account: str,
    which: int,
    signed: int,
    method: str,
    history: str,
) -> None:
    house = _house([(w, q) for w, q in fills if q], cash)
    risk = PreTradeRisk()
    risk.rebuild(house, PRICES, HISTORIES[history], method)
    assert risk.method is not None
    contract = CONTRACTS[which]
    expected = check_order(
        risk.method,
        house.book.positions_of(account),
        contract,
        signed,
        house.equity(account),
    ).accepted
    assert risk.accepts(house, account, contract, signed) is expected


def test_fills_keep_the_running_gross_in_step() -> None:
    house = _house([], [100_000, 100_000])
    risk = PreTradeRisk()
    risk.rebuild(house, PRICES, {})
    for i, qty in enumerate([5, -3, 10]):
        before = house.book.position("a", "SITZ26")
        buyer, seller = ("a", "b") if qty > 0 else ("b", "a")
        house.apply_fills([Trade(i, "SITZ26", 350, abs(qty), buyer, seller)])
        risk.moved("a", "SITZ26", before, before + qty)
    per_lot = 0.08 * 3.50
    assert abs(risk.gross["a"] - 12 * per_lot) < 1e-9
