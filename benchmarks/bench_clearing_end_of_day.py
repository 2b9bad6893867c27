"""The venue's end of day for 10,000 accounts × 20 contracts, as a ratio to the margin kernel.

One ``EndOfDay`` through the fold (``venue.eod``): the exchange's daily settlement prices,
variation margin posted to the ledger (one entry a day, ADR 0430), the live margin method
(HS ES 99 %, 250 days of history) built and run for every account, margin calls, and each
contract's margin backtest.
The baseline, measured in the same process, is the margin kernel alone: the same method's
``requirements`` over the same positions matrix. The state is built outside the timing
(listing through the fold; deposits and fills straight into clearing). The last line is JSON.
"""

from __future__ import annotations

import copy
import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np

from tokenfutures.clearing.margin.live import live_method
from tokenfutures.clearing.positions import Trade
from tokenfutures.venue.commands import EndOfDay, ListInstrument
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.listing import EPOCH, closing_commands, opening_commands
from tokenfutures.venue.state import VenueState

ACCOUNTS, CONTRACTS, HISTORY_DAYS, REPEATS = 10_000, 20, 300, 2
DAY = date(2026, 11, 24)
GOAL_S = 1.0
MONTHS = "FGHJKMNQUVXZ"


def _symbols() -> list[str]:
    out, year, month = [], 26, 11  # SITZ26 first (month index 11 = Z)
    while len(out) < CONTRACTS:
        out.append(f"SIT{MONTHS[month]}{year}")
        month, year = (0, year + 1) if month == 11 else (month + 1, year)
    return out


def build() -> VenueState:
    """A venue state with 20 listed SIT months, 10,000 funded accounts holding positions."""
    rng = np.random.default_rng(20261206)
    state, seq = VenueState(), 0
    symbols = _symbols()
    for s in symbols:
        seq += 1
        evolve(state, seq, ListInstrument(EPOCH, s, 30_000, "v2"))
    for command in opening_commands(state, symbols):
        seq += 1
        evolve(state, seq, command)
    for j, s in enumerate(symbols):  # a year of settlements with jumps
        moves = rng.normal(0, 0.01, HISTORY_DAYS) + rng.normal(-0.03, 0.1, HISTORY_DAYS) * (
            rng.random(HISTORY_DAYS) < 0.1
        )
        ticks = np.rint(30_000 * (1 - 0.002 * j) * np.exp(np.cumsum(moves))).astype(int)
        state.settlement_history[s] = ticks.tolist()
    names = [f"acct-{i:05d}" for i in range(ACCOUNTS)]
    for name in names:
        state.accounts[name] = None
        state.house.deposit(name, Decimal(int(rng.integers(2_000, 200_000))))
    trades, tid = [], 0
    for j, s in enumerate(symbols):
        price = state.settlement_history[s][-1]
        for i in range(0, ACCOUNTS, 2):  # pairs trade: every account holds every month
            qty = int(rng.integers(1, 20))
            buyer, seller = names[i], names[i + 1]
            if (i // 2 + j) % 2:
                buyer, seller = seller, buyer
            tid += 1
            trades.append(Trade(tid, s, price + int(rng.integers(-50, 51)), qty, buyer, seller))
    state.clear(trades)  # type: ignore[arg-type]  # clearing's Trade satisfies the Fill fields
    state.reprice()
    for command in closing_commands(state):
        seq += 1
        evolve(state, seq, command)
    state.seq = seq
    return state


def main() -> None:
    base = build()
    live = [c for _, c in sorted(base.house.contracts.items())]
    method = live_method(
        base.margin_method, live, base.prices_for_margin(), base.settlement_history
    )
    matrix = base.house.book.matrix(base.house.book.accounts(), method.contracts)
    method.requirements(matrix[:10])  # JIT compile (or load the cache)
    kernel_s = min(_timed(lambda: method.requirements(matrix)) for _ in range(REPEATS))
    eod_times, calls, vm_accounts = [], 0, 0
    for _ in range(REPEATS):
        state = copy.deepcopy(base)
        ts = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
        t0 = time.perf_counter()
        applied = evolve(state, state.seq + 1, EndOfDay(ts, DAY))
        eod_times.append(time.perf_counter() - t0)
        report = applied.report
        assert report is not None
        calls, vm_accounts = len(report.margin_calls), len(report.variation_margin)
        assert len(report.settlements) == CONTRACTS
    eod_s = min(eod_times)
    print(f"accounts × contracts: {ACCOUNTS} × {CONTRACTS}; method {method.name}")
    print(f"end of day (settle, VM, margin, calls, backtests): {eod_s * 1e3:.0f} ms (goal <= 1 s)")
    print(f"margin kernel alone: {kernel_s * 1e3:.0f} ms; ratio {eod_s / kernel_s:.2f}")
    print(f"accounts with VM {vm_accounts}, margin calls {calls}")
    print(
        json.dumps(
            {
                "benchmark": "clearing_end_of_day",
                "accounts": ACCOUNTS,
                "contracts": CONTRACTS,
                "margin_method": method.name,
                "end_of_day_s": round(eod_s, 4),
                "margin_kernel_s": round(kernel_s, 4),
                "ratio_to_margin_kernel": round(eod_s / kernel_s, 2),
                "goal_s": GOAL_S,
                "meets_goal": eod_s <= GOAL_S,
                "vm_accounts": vm_accounts,
                "margin_calls": calls,
            }
        )
    )


def _timed(fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
