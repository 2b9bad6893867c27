"""Daily settlement price of one contract: closing-window VWAP, then documented fallbacks.

The procedure (ADR 0383, ADR 0384), after the CME energy settlement pattern
(market-conventions §1.3), on integer ticks and explicit inputs (no clock):

1. ``CLOSING_VWAP``: the volume-weighted average price of the trades stamped in the closing
   window ``[settlement_time − window, settlement_time)`` (default two minutes), when their
   quantity reaches ``min_window_quantity``.
2. ``BBO_MID``: the mid of the best bid and offer at the settlement time, when both sides are
   present and the spread is tight enough (``max_spread_ticks`` and/or ``max_spread_fraction``
   of the mid; default 2 % of the mid, the paper's front-month market-maker spread).
3. ``LAST_TRADE_CLAMPED``: the session's last trade before the settlement time, moved into
   ``[bid, offer]`` if it lies outside.
4. ``NEIGHBOUR_CHANGE``: the prior settlement moved by the neighbouring month's settlement
   change today (the calendar spread is held), clamped to the bid/offer.
5. ``FAIR_VALUE``: a model fair value passed in (e.g. from the forward curve), clamped.
6. ``PRIOR_SETTLEMENT``: the prior settlement unchanged, clamped (CME's last tier).

Averages round to the nearest tick; an exact half tick rounds toward the prior settlement,
or to the even tick when there is none (:func:`round_to_tick`). The result names the tier
that set the price and carries an audit record of the inputs used and why each higher tier
was skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange.settlement_price_types import (
    BestBidOffer,
    SettlementAudit,
    SettlementPrice,
    SettlementRules,
    SettlementTier,
    SettlementTrade,
    SkipReason,
    check_ticks,
)

__all__ = [
    "BestBidOffer",
    "SettlementAudit",
    "SettlementPrice",
    "SettlementRules",
    "SettlementTier",
    "SettlementTrade",
    "SkipReason",
    "daily_settlement_price",
    "round_to_tick",
]

HALF = Fraction(1, 2)


def round_to_tick(value: Fraction, prior_settlement_ticks: int | None) -> int:
    """Nearest tick; an exact half goes toward the prior settlement (half-even without one).

    Examples
    --------
    >>> round_to_tick(Fraction(201, 2), 90), round_to_tick(Fraction(201, 2), 120)
    (100, 101)
    """
    below = value.numerator // value.denominator
    rest = value - below
    if rest < HALF:
        return below
    if rest > HALF:
        return below + 1
    if prior_settlement_ticks is None:
        return below if below % 2 == 0 else below + 1
    return below if prior_settlement_ticks <= below else below + 1


def _reject_trade(position: int, ts: object, price: object, quantity: object) -> None:
    """Raise naming the first bad field of trade ``position`` (called only on bad input)."""
    if not isinstance(ts, datetime) or ts.tzinfo is None:
        raise InvalidParameterError(f"trades[{position}].ts", ts, "timezone-aware")
    check_ticks(f"trades[{position}].price_ticks", price)  # type: ignore[arg-type]
    raise InvalidParameterError(f"trades[{position}].quantity", quantity, "a positive integer")


@dataclass(frozen=True, slots=True)
class _WindowScan:
    count: int
    quantity: int
    notional: int
    last_trade: SettlementTrade | None


def _scan_trades(
    trades: Sequence[tuple[datetime, int, int]], window_start: datetime, window_end: datetime
) -> _WindowScan:
    """One validating pass: window count, quantity and notional, and the last trade before the end."""
    count = quantity = notional = 0
    last: tuple[datetime, int, int] | None = None
    for position, (ts, price, lots) in enumerate(trades):
        if (
            not isinstance(ts, datetime)
            or ts.tzinfo is None
            or type(price) is not int
            or type(lots) is not int
            or price <= 0
            or lots <= 0
        ):
            _reject_trade(position, ts, price, lots)
        if ts >= window_end:
            continue
        if last is None or ts >= last[0]:  # equal stamps: the later in execution order
            last = (ts, price, lots)
        if ts >= window_start:
            count += 1
            quantity += lots
            notional += price * lots
    return _WindowScan(count, quantity, notional, None if last is None else SettlementTrade(*last))


def _tight_mid(bbo: BestBidOffer | None, rules: SettlementRules) -> Fraction | SkipReason:
    """The mid of a two-sided, tight enough BBO, or the reason there is none."""
    if bbo is None or bbo.bid_ticks is None or bbo.ask_ticks is None:
        return SkipReason.NO_TWO_SIDED_BBO
    spread = bbo.ask_ticks - bbo.bid_ticks
    mid = Fraction(bbo.bid_ticks + bbo.ask_ticks, 2)
    if rules.max_spread_ticks is not None and spread > rules.max_spread_ticks:
        return SkipReason.SPREAD_TOO_WIDE
    if rules.max_spread_fraction is not None and spread > mid * Fraction(rules.max_spread_fraction):
        return SkipReason.SPREAD_TOO_WIDE
    return mid


@dataclass(frozen=True, slots=True)
class _Evidence:
    """Everything the tiers look at, gathered once (and copied into the audit)."""

    window_start: datetime
    window_trade_count: int
    window_quantity: int
    window_vwap: Fraction | None
    last_trade: SettlementTrade | None
    bbo: BestBidOffer | None
    prior: int | None
    neighbour_change: int | None
    fair_value: int | None


Candidate = tuple[SettlementTier, Fraction | SkipReason, bool]


def _candidates(e: _Evidence, rules: SettlementRules) -> Iterator[Candidate]:
    """Each tier in order: its unrounded price or why it cannot apply, and whether to clamp."""
    if e.window_vwap is None:
        yield SettlementTier.CLOSING_VWAP, SkipReason.NO_TRADES_IN_WINDOW, False
    elif e.window_quantity < rules.min_window_quantity:
        yield SettlementTier.CLOSING_VWAP, SkipReason.WINDOW_QUANTITY_TOO_SMALL, False
    else:
        yield SettlementTier.CLOSING_VWAP, e.window_vwap, False
    yield SettlementTier.BBO_MID, _tight_mid(e.bbo, rules), False
    yield (
        SettlementTier.LAST_TRADE_CLAMPED,
        SkipReason.NO_LAST_TRADE if e.last_trade is None else Fraction(e.last_trade.price_ticks),
        True,
    )
    if e.prior is None:
        yield SettlementTier.NEIGHBOUR_CHANGE, SkipReason.NO_PRIOR_SETTLEMENT, True
    elif e.neighbour_change is None:
        yield SettlementTier.NEIGHBOUR_CHANGE, SkipReason.NO_NEIGHBOUR_CHANGE, True
    else:  # a move can never take the price below one tick
        yield SettlementTier.NEIGHBOUR_CHANGE, Fraction(max(1, e.prior + e.neighbour_change)), True
    yield (
        SettlementTier.FAIR_VALUE,
        SkipReason.NO_FAIR_VALUE if e.fair_value is None else Fraction(e.fair_value),
        True,
    )
    yield (
        SettlementTier.PRIOR_SETTLEMENT,
        SkipReason.NO_PRIOR_SETTLEMENT if e.prior is None else Fraction(e.prior),
        True,
    )


def _gather(
    settlement_time: datetime,
    trades: Sequence[tuple[datetime, int, int]],
    rules: SettlementRules,
    *,
    bbo: BestBidOffer | None,
    prior: int | None,
    neighbour_change: int | None,
    fair_value: int | None,
) -> _Evidence:
    """Validate the inputs and compute the closing-window statistics and the last trade."""
    if not isinstance(settlement_time, datetime) or settlement_time.tzinfo is None:
        raise InvalidParameterError("settlement_time", settlement_time, "timezone-aware")
    if prior is not None:
        check_ticks("prior_settlement_ticks", prior)
    if fair_value is not None:
        check_ticks("fair_value_ticks", fair_value)
    if neighbour_change is not None and (
        isinstance(neighbour_change, bool) or not isinstance(neighbour_change, int)
    ):
        raise InvalidParameterError("neighbour_change_ticks", neighbour_change, "an integer")
    window_start = settlement_time - rules.window
    scan = _scan_trades(trades, window_start, settlement_time)
    return _Evidence(
        window_start=window_start,
        window_trade_count=scan.count,
        window_quantity=scan.quantity,
        window_vwap=Fraction(scan.notional, scan.quantity) if scan.quantity else None,
        last_trade=scan.last_trade,
        bbo=bbo,
        prior=prior,
        neighbour_change=neighbour_change,
        fair_value=fair_value,
    )


def daily_settlement_price(
    *,
    settlement_time: datetime,
    trades: Sequence[tuple[datetime, int, int]],
    bbo: BestBidOffer | None = None,
    prior_settlement_ticks: int | None = None,
    neighbour_change_ticks: int | None = None,
    fair_value_ticks: int | None = None,
    rules: SettlementRules | None = None,
) -> SettlementPrice | None:
    """Set the daily settlement price from explicit inputs, trying the tiers in order.

    Parameters
    ----------
    settlement_time : datetime
        End of the closing window (timezone-aware); trades at or after it are ignored.
    trades : Sequence[tuple[datetime, int, int]]
        The session's outright trades as ``(ts, price_ticks, quantity)``, in execution order.
    bbo : BestBidOffer | None
        Best bid and offer at the settlement time.
    prior_settlement_ticks : int | None
        Yesterday's settlement price (anchor of tiers 4 and 6 and of half-tick rounding).
    neighbour_change_ticks : int | None
        Today's settlement change of the neighbouring month, in ticks (may be negative).
    fair_value_ticks : int | None
        A model fair value already on the tick grid.
    rules : SettlementRules | None
        Window and spread parameters (defaults: 2 minutes, 2 % of the mid).

    Returns
    -------
    SettlementPrice | None
        ``None`` only when no tier applies (no trade, quote, prior settlement or fair value).
    """
    rules = SettlementRules() if rules is None else rules
    evidence = _gather(
        settlement_time,
        trades,
        rules,
        bbo=bbo,
        prior=prior_settlement_ticks,
        neighbour_change=neighbour_change_ticks,
        fair_value=fair_value_ticks,
    )
    skipped: list[tuple[SettlementTier, SkipReason]] = []
    for tier, outcome, clamp in _candidates(evidence, rules):
        if isinstance(outcome, SkipReason):
            skipped.append((tier, outcome))
            continue
        rounded = round_to_tick(outcome, prior_settlement_ticks)
        final = bbo.clamp(rounded) if clamp and bbo is not None else rounded
        return SettlementPrice(
            final, tier, _audit(settlement_time, evidence, outcome, final != rounded, skipped)
        )
    return None


def _audit(  # the record of what was used, for the settlement event
    settlement_time: datetime,
    e: _Evidence,
    unclamped: Fraction,
    clamped: bool,
    skipped: list[tuple[SettlementTier, SkipReason]],
) -> SettlementAudit:
    return SettlementAudit(
        settlement_time=settlement_time,
        window_start=e.window_start,
        window_trade_count=e.window_trade_count,
        window_quantity=e.window_quantity,
        window_vwap_ticks=e.window_vwap,
        bbo=e.bbo,
        spread_ticks=None if e.bbo is None else e.bbo.spread_ticks,
        last_trade=e.last_trade,
        prior_settlement_ticks=e.prior,
        neighbour_change_ticks=e.neighbour_change,
        fair_value_ticks=e.fair_value,
        unclamped_ticks=unclamped,
        clamped=clamped,
        skipped=tuple(skipped),
    )
