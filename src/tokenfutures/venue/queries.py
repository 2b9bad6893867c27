"""Read-only views of the venue state (the caller holds the writer lock)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np

from tokenfutures.clearing.ledger import AccountKind, collateral
from tokenfutures.clearing.margin.base import money_up
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.marketdata import top_levels
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.views import (
    BookView,
    ContractView,
    LedgerLine,
    MarginView,
    PositionView,
    PriceLevel,
    TradeView,
)


def require_account(state: VenueState, account: str) -> None:
    """Raise ``InvalidParameterError`` unless ``account`` exists."""
    if account not in state.accounts:
        raise InvalidParameterError("account", account, "an existing account")


def require_contract(state: VenueState, contract: str) -> None:
    """Raise ``InvalidParameterError`` unless ``contract`` is listed."""
    if contract not in state.exchange.contracts:
        raise InvalidParameterError("contract", contract, "a listed contract")


def contract_view(state: VenueState, symbol: str) -> ContractView:
    """A listed contract's static data, phase and prior settlement."""
    require_contract(state, symbol)
    cs = state.exchange.contracts[symbol]
    cleared = state.house.contracts[symbol]
    return ContractView(
        symbol=symbol,
        product=state.products[symbol],
        tick_size=cs.rules.tick_size,
        last_trading_day=cleared.last_trading_day,
        expiry=cs.rules.expiry,
        phase=cs.phase.name,
        prior_settlement=cs.rules.tick_size * cs.prior_settlement,
    )


def book_view(state: VenueState, contract: str, depth: int) -> BookView:
    """The best ``depth`` levels of each side, the last trade, the phase and the venue seq."""
    require_contract(state, contract)
    if depth <= 0:
        raise InvalidParameterError("depth", depth, "positive")
    cs = state.exchange.contracts[contract]
    tick = cs.rules.tick_size
    bids: list[PriceLevel] = []
    asks: list[PriceLevel] = []
    for side, price, qty, count in top_levels(cs, depth):
        level = PriceLevel(tick * price, price, qty, count)
        (bids if side > 0 else asks).append(level)
    last = None if cs.last_price is None else tick * cs.last_price
    return BookView(contract, tuple(bids), tuple(asks), last, cs.phase.name, state.seq)


def trade_views(state: VenueState, contract: str, limit: int) -> list[TradeView]:
    """The newest ``limit`` trades of ``contract`` (newest first)."""
    require_contract(state, contract)
    if limit <= 0:
        raise InvalidParameterError("limit", limit, "positive")
    tick = state.exchange.contracts[contract].rules.tick_size
    kept = list(state.trades.get(contract, ()))[-limit:]
    return [
        TradeView(
            t.trade_id,
            t.contract,
            tick * t.price_ticks,
            t.price_ticks,
            t.quantity,
            None if t.aggressor_side is None else t.aggressor_side.name.lower(),
            t.ts,
        )
        for t in reversed(kept)
    ]


def position_views(state: VenueState, account: str) -> list[PositionView]:
    """Positions of ``account`` (open ones, and flat ones with realised P&L: closed out, expired
    or traded flat; ADR 0433): mark, average trade price, realised and unrealised P&L.

    The mark is the last settlement price, else the contract's prior settlement; P&L is
    measured against the account's trade prices (average cost, ADR 0409).
    """
    house = state.house
    marks = state.prices_for_margin()
    book = state.trade_pnl()
    views = []
    held = house.book.positions_of(account)
    closed = {c: 0 for c in book.realised_of(account) if c not in held}
    for contract, quantity in sorted((held | closed).items()):
        mark = marks.get(contract)
        cleared = house.contracts.get(contract)
        tick = state.tick_size(contract)
        value = cleared.tick_value if cleared is not None else tick
        row = book.get(account, contract)
        average = row.average_price if row.quantity == quantity else None
        views.append(
            PositionView(
                contract,
                quantity,
                None if mark is None else tick * mark,
                None if average is None else _micros(average * Fraction(tick)),
                _micros(row.realised * Fraction(value)),
                None
                if mark is None or average is None
                else _micros(row.unrealised(mark) * Fraction(value)),
            )
        )
    return views


def _micros(value: Fraction | Decimal) -> Decimal:
    """An exact amount as USD rounded half-even to the micro-USD (display)."""
    exact = Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.000001"))


def margin_view(state: VenueState, account: str) -> MarginView:
    """Collateral, eq.-7 requirements of the current positions, excess and any open call."""
    require_account(state, account)
    house = state.house
    equity = house.equity(account)
    initial = maintenance = Decimal(0)
    method = state.risk.method
    positions = house.book.positions_of(account)
    if method is not None and any(c in method.contracts for c in positions):
        row = np.array([[float(positions.get(c, 0)) for c in method.contracts]])
        result = method.requirements(row)
        initial, maintenance = money_up(result.initial[0]), money_up(result.maintenance[0])
    call = house.calls.get(account)
    return MarginView(
        account=account,
        collateral=equity,
        initial=initial,
        maintenance=maintenance,
        excess=equity - initial,
        call_amount=None if call is None else call.amount,
        call_deadline=None if call is None else call.deadline,
    )


def ledger_lines(state: VenueState, account: str) -> list[LedgerLine]:
    """Postings to the account's collateral, oldest first, with running balances."""
    target = collateral(account)
    lines, balance = [], Decimal(0)
    for number, entry in enumerate(state.house.ledger.entries, start=1):
        for posting in entry.postings:
            if posting.account == target:
                balance += posting.amount
                lines.append(LedgerLine(number, entry.memo, posting.amount, balance))
    return lines


def margin_requirements(state: VenueState) -> dict[str, Decimal]:
    """Initial eq.-7 requirement of every account holding positions."""
    method = state.risk.method
    book = state.house.book
    accounts = book.accounts()
    if method is None or not accounts:
        return {}
    result = method.requirements(book.matrix(accounts, method.contracts))
    return {a: result.requirement(i).initial for i, a in enumerate(accounts)}


def money_identity(state: VenueState) -> tuple[int, int]:
    """``(inside, deposits)`` in micro-USD: Σ collateral + fees + default fund + the CCP's
    accounts, and the money paid in net of withdrawals (Σ external accounts, negated).

    Equal whenever the ledger balances; a test of the identity the clearing cycle must keep.
    """
    inside = deposits = 0
    for account, micros in state.house.ledger.balances_micros().items():
        if account.kind is AccountKind.EXTERNAL:
            deposits -= micros
        else:
            inside += micros
    return inside, deposits


def money_by_kind(state: VenueState) -> dict[AccountKind, int]:
    """Micro-USD held in each kind of ledger account (collateral, fees, default fund...),
    external accounts included (negative: what the parties paid in)."""
    held = dict.fromkeys(AccountKind, 0)
    for account, micros in state.house.ledger.balances_micros().items():
        held[account.kind] += micros
    return held
