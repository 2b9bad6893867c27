"""End of day: settlement prices (exchange), variation margin and calls (clearing), expiries.

Runs inside the fold (``venue.fold``) as one journalled ``EndOfDay`` command, so a replay
repeats it exactly. A function of the day's book (``DayBook``: clearing, listings, fixes and
settlement records) and an engine port (``Engine``: a command in, its events out, folded by
the caller), so it knows neither the venue's state class nor the sequencer (ADR 0614).
Margin calls are due one day after the settlement (ADR 0604).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

import numpy as np

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.default_transfer import CCP_HOUSE
from tokenfutures.clearing.fees import FeeBook
from tokenfutures.clearing.final import expiring, final_settlement
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.live_backtest import live_backtest
from tokenfutures.clearing.margin.live import live_method
from tokenfutures.clearing.settlement import settle_day, unmet_calls
from tokenfutures.contracts import (
    ContractSpec,
    InsufficientFixesError,
    final_settlement_price,
    parse_symbol,
)
from tokenfutures.exchange import ExchangeState, Phase, SettleDay, SettlementPriceSet
from tokenfutures.venue.auctions import Auction, drop_house_call, open_auction, reported
from tokenfutures.venue.charges import bill_day_fees, fund_inputs
from tokenfutures.venue.commands import EndOfDay
from tokenfutures.venue.index_feed import settlement_fixes
from tokenfutures.venue.views import (
    EndOfDayReport,
    FixingView,
    MarginBacktestView,
    SettlementView,
)

#: The engine port: run one command through the matching engine and fold its events.
Engine = Callable[[Any], list[Any]]


class DayBook(Protocol):
    """What end of day reads and grows: clearing, listings, fixes and settlement records."""

    seq: int
    house: ClearingHouse
    exchange: ExchangeState
    accounts: dict[str, str | None]
    fixes: dict[date, FixingView]
    final_audits: dict[str, dict[str, Any]]
    settlements: dict[str, list[SettlementView]]
    settlement_history: dict[str, list[int]]
    margin_method: str
    auctions: dict[int, Auction]
    auction_window_s: int
    eod_reports: list[EndOfDayReport]
    fees: FeeBook

    def spec_of(self, contract: str) -> ContractSpec:
        """The spec of a listed contract."""
        ...

    def prices_for_margin(self) -> dict[str, int]:
        """Last mark of each contract, else its prior settlement."""
        ...

    def reprice(self) -> None:
        """Rebuild the pre-trade margin method at the current marks."""
        ...

    def tick_size(self, contract: str) -> Decimal:
        """Tick size of a listed contract."""
        ...


#: How long a member has to meet a margin call.
CALL_DEADLINE = timedelta(days=1)


def _daily_prices(
    state: DayBook, engine: Engine, command: EndOfDay, events: list[Any]
) -> tuple[dict[str, int], list[SettlementView]]:
    prices: dict[str, int] = {}
    views = []
    for symbol in sorted(state.exchange.contracts):
        cs = state.exchange.contracts[symbol]
        if symbol in state.house.expired or (
            cs.phase == Phase.EXPIRED and cs.settlement_price is not None
        ):
            continue
        produced = engine(
            SettleDay(
                command.ts,
                symbol,
                fair_value_ticks=state.house.marks.get(symbol, cs.prior_settlement),
            )
        )
        events.extend(produced)
        for event in produced:
            if type(event) is SettlementPriceSet:
                prices[symbol] = event.price_ticks
                state.settlement_history.setdefault(symbol, []).append(event.price_ticks)
                view = SettlementView(
                    symbol,
                    command.day,
                    cs.rules.tick_size * event.price_ticks,
                    event.price_ticks,
                    "daily",
                    event.tier,
                )
                state.settlements.setdefault(symbol, []).append(view)
                views.append(view)
    return prices, views


def _final(
    state: DayBook, command: EndOfDay, variation: dict[str, Decimal]
) -> list[SettlementView]:
    """Finally settle what expired from the current fixes (its audit kept); its last cash
    flows join the day's ``variation``."""
    house = state.house
    fixes, withheld = settlement_fixes(state.fixes)
    views = []
    for symbol in expiring(house, command.day):
        spec = state.spec_of(symbol)
        try:
            result = final_settlement_price(spec, parse_symbol(symbol), fixes, withheld)
        except InsufficientFixesError as short:
            # settles at a later end of day, once the fixes are in; the reason is kept
            state.final_audits[symbol] = {"symbol": symbol, "settled": False, "reason": str(short)}
            continue
        state.final_audits[symbol] = {**result.to_dict(), "settled": True}
        for account, flow in final_settlement(
            house, symbol, result.price_ticks, command.day
        ).items():
            variation[account] = variation.get(account, Decimal(0)) + flow
        view = SettlementView(symbol, command.day, result.price, result.price_ticks, "final", "TPI")
        state.settlements.setdefault(symbol, []).append(view)
        views.append(view)
    return views


def end_of_day(
    state: DayBook, engine: Engine, command: EndOfDay
) -> tuple[EndOfDayReport, list[Any]]:
    """Settle every live contract, post VM, issue calls, then finally settle what expired."""
    events: list[Any] = []
    prices, daily = _daily_prices(state, engine, command, events)
    house = state.house
    variation: dict[str, Decimal] = {}
    calls: dict[str, Decimal] = {}
    live = [c for s, c in sorted(house.contracts.items()) if s not in house.expired]
    due = unmet_calls(house, command.ts)  # before settle_day re-issues today's calls
    charged = bill_day_fees(state, command.day)  # the day's trades, before margin (ADR 0617)
    fund = None
    if live and prices:
        marks = state.prices_for_margin() | prices
        method = live_method(state.margin_method, live, marks, state.settlement_history)
        inputs = fund_inputs(state, method, marks, command.day)
        report = settle_day(house, prices, method, command.ts + CALL_DEADLINE, fund=inputs)
        variation = dict(report.variation_margin)
        calls = {call.account: call.amount for call in report.calls}
        fund = report.default_fund
        drop_house_call(house)
        calls.pop(CCP_HOUSE, None)
    since = state.eod_reports[-1].seq if state.eod_reports else 0
    defaulted = tuple(d for d in due if _default(state, engine, command, d, due, events))
    for account in defaulted:
        calls.pop(account, None)
    finals = _final(state, command, variation)
    state.reprice()
    audits = {v.contract: state.final_audits[v.contract] for v in finals}
    report_view = EndOfDayReport(
        command.day,
        tuple(daily),
        variation,
        calls,
        tuple(finals),
        state.seq,
        defaulted,
        audits,
        state.margin_method,
        margin_backtests(state.margin_method, live, state.settlement_history),
        auctions=reported(state.auctions, since),
        trading_fees={a: c.trading for a, c in charged.items()},
        clearing_fees={a: c.clearing for a, c in charged.items()},
        default_fund={}
        if fund is None
        else dict(zip(fund.members, fund.contributions, strict=True)),
        cover2=Decimal(0) if fund is None else fund.cover2,
    )
    return report_view, events


def margin_backtests(
    method: str, contracts: list[ClearedContract], history: dict[str, list[int]]
) -> dict[str, MarginBacktestView]:
    """Each live contract's per-lot backtest of ``method`` over its settlement history."""
    out = {}
    for contract in contracts:
        ticks = history.get(contract.symbol, [])
        prices = np.array([float(contract.lot_value(t)) for t in ticks])
        result = live_backtest(
            method,
            prices,
            float(contract.im_floor_fraction),
            float(contract.im_cap_fraction),
        )
        if result is not None:
            out[contract.symbol] = MarginBacktestView(
                result.observations,
                result.breaches,
                result.breach_rate,
                result.p_value,
                result.rejected,
                result.undercovered,
            )
    return out


def _default(
    state: DayBook,
    engine: Engine,
    command: EndOfDay,
    defaulter: str,
    due: Collection[str],
    events: list[Any],
) -> bool:
    """Declare ``defaulter`` in default: cancel its orders, hand its book to the CCP and open
    an auction of it to the members for the venue's auction window (ADR 0620, superseding
    ADR 0607). False when a position has no settlement price (the call stays open)."""
    window = timedelta(seconds=state.auction_window_s)
    auction, cancelled = open_auction(
        state, engine, command.ts, command.day, window, defaulter, due
    )
    events.extend(cancelled)
    return auction is not None
