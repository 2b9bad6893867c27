"""The reference market maker: quotes every listed contract two-sided through the REST client.

Each ``step()`` reads the market like any member would (contracts, the latest TPI fix, its own
positions and open orders), computes fair values and quotes with the pure functions of this
package, and sends only the difference (``reconcile``). ``run()`` repeats it until a stop event
is set or a step budget is spent; I/O errors of one step are counted and the next step retries.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import httpx

from tokenfutures.client.errors import ApiError, ClientError
from tokenfutures.client.models import Contract, Order
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.contracts import front_month, parse_symbol, spec_for_symbol
from tokenfutures.core.clock import Clock
from tokenfutures.exchange.limits import PriceBand, band_half_width_ticks
from tokenfutures.marketmaking.compliance import ComplianceReport, QuoteSample, measure_compliance
from tokenfutures.marketmaking.fair_value import CalendarModel, contract_fair_values
from tokenfutures.marketmaking.quoting import Quote, QuotingPolicy, compute_quote
from tokenfutures.marketmaking.reconcile import QuoteActions, WorkingOrder, reconcile
from tokenfutures.quant.params import JumpDiffusionParams

TRADING_PHASES = frozenset({"PRE_OPEN", "CONTINUOUS"})
#: Quote samples kept per contract for the compliance measurement (a day at one per second).
SAMPLES_KEPT = 86_400


@dataclass
class BotStats:
    """What the bot did so far (for logs and tests)."""

    steps: int = 0
    sent: int = 0
    cancelled: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    errors: int = 0


@dataclass
class MarketMakerBot:
    """Quotes around the model's fair values with inventory skew, inside each day's price band.

    Parameters
    ----------
    client : TokenFuturesClient
        Bound to the market maker's account key.
    params : JumpDiffusionParams or CalendarModel
        The price model whose forward curve gives the fair values (on the calendar, ADR 0700).
    clock : Clock
        Gives today's date (fair values are anchored at today's fix).
    policy : QuotingPolicy
        Spread share, size, skew and inventory limit.
    """

    client: TokenFuturesClient
    params: JumpDiffusionParams | CalendarModel
    clock: Clock
    policy: QuotingPolicy = field(default_factory=QuotingPolicy)
    stats: BotStats = field(default_factory=BotStats)
    samples: dict[str, deque[QuoteSample]] = field(default_factory=dict)
    _sequence: int = 0

    def step(self) -> dict[str, Quote]:
        """One read-quote-send round; returns the quotes it aimed for, by contract."""
        today = self.clock.now().date()
        contracts = [c for c in self.client.contracts() if _quotable(c)]
        level, known = self._index_levels()
        if level is None or not contracts:
            self.stats.steps += 1
            return {}
        fair = contract_fair_values(self.params, today, level, [c.symbol for c in contracts], known)
        inventory = {p.contract: p.quantity for p in self.client.positions()}
        working = self.client.orders(open_only=True)
        quotes: dict[str, Quote] = {}
        for contract in contracts:
            mine = _working(working, contract.symbol)
            history = self.samples.setdefault(contract.symbol, deque(maxlen=SAMPLES_KEPT))
            history.append(_sample(self.clock.now(), mine))
            last = self.client.book(contract.symbol, depth=1).last_price
            quote = quote_for(
                contract,
                fair[contract.symbol],
                inventory.get(contract.symbol, 0),
                today,
                self.policy,
                last,
            )
            quotes[contract.symbol] = quote
            self._apply(contract, reconcile(quote, mine))
        self.stats.steps += 1
        return quotes

    def run(
        self, stop: threading.Event, interval_s: float = 1.0, max_steps: int | None = None
    ) -> BotStats:
        """Step every ``interval_s`` until ``stop`` is set (or ``max_steps`` were taken)."""
        while not stop.is_set() and (max_steps is None or self.stats.steps < max_steps):
            try:
                self.step()
            except (ClientError, httpx.HTTPError, OSError, ValueError):
                self.stats.errors += 1
                self.stats.steps += 1
            stop.wait(interval_s)
        return self.stats

    def compliance(self, until: datetime) -> dict[str, ComplianceReport]:
        """Its own obligations measured per contract from the first sample to ``until``."""
        reports: dict[str, ComplianceReport] = {}
        for symbol, history in sorted(self.samples.items()):
            if not history or until <= history[0].at:
                continue
            parsed = parse_symbol(symbol)
            is_front = parsed.delivery == front_month(spec_for_symbol(parsed), until.date())
            reports[symbol] = measure_compliance(
                history, (history[0].at, until), self.policy.obligations, is_front=is_front
            )
        return reports

    def withdraw(self) -> None:
        """Cancel every open order of the market maker (on shutdown)."""
        self.client.mass_cancel()

    def _index_levels(self) -> tuple[Decimal | None, dict[date, Decimal]]:
        fixes = [f for f in self.client.fixings() if f.level is not None]
        known = {f.day: f.level for f in fixes if f.level is not None}
        if not fixes:
            return None, known
        return max(fixes, key=lambda f: f.day).level, known

    def _apply(self, contract: Contract, actions: QuoteActions) -> None:
        for order_id in actions.cancel:
            try:
                self.client.cancel_order(order_id)
                self.stats.cancelled += 1
            except ApiError:  # already filled or cancelled: nothing left to pull
                self.stats.errors += 1
        for order in actions.send:
            self._sequence += 1
            ack = self.client.submit_order(
                contract.symbol,
                order.side,
                order.lots,
                f"mm-{self.clock.now():%Y%m%d%H%M%S%f}-{self._sequence}",
                price=contract.tick_size * order.price_ticks,
            )
            self.stats.sent += 1
            if ack.rejected:
                self.stats.rejected[ack.reason or "?"] += 1


def quote_for(
    contract: Contract,
    fair: Decimal,
    inventory: int,
    today: date,
    policy: QuotingPolicy,
    last_price: Decimal | None = None,
) -> Quote:
    """The quote for one listed contract: fair value in ticks, front-month flag, price band.

    The band is the static first-tier limit around the prior settlement intersected with the
    venue's dynamic band around the last trade (else the prior settlement), ADR 0703.
    """
    symbol = parse_symbol(contract.symbol)
    spec = spec_for_symbol(symbol)
    prior_ticks = int(contract.prior_settlement / contract.tick_size)
    band = None
    if prior_ticks > 0:
        low, high = spec.price_limit_band(prior_ticks, 0)
        reference = prior_ticks if last_price is None else int(last_price / contract.tick_size)
        width = band_half_width_ticks(reference, PriceBand(fraction=policy.band_fraction))
        band = (max(low, reference - width, 1), min(high, reference + width))
        if band[1] <= band[0]:
            band = (low, high)
    return compute_quote(
        contract.symbol,
        fair / contract.tick_size,
        inventory,
        is_front=symbol.delivery == front_month(spec, today),
        band=band,
        policy=policy,
    )


def _sample(at: datetime, mine: Sequence[WorkingOrder]) -> QuoteSample:
    """The bot's own best bid and ask (and their open lots) as found at the start of a round."""
    bids = [o for o in mine if o.side == "buy"]
    asks = [o for o in mine if o.side == "sell"]
    bid = max(bids, key=lambda o: o.price_ticks, default=None)
    ask = min(asks, key=lambda o: o.price_ticks, default=None)
    return QuoteSample(
        at,
        None if bid is None else bid.price_ticks,
        0 if bid is None else bid.open_lots,
        None if ask is None else ask.price_ticks,
        0 if ask is None else ask.open_lots,
    )


def _quotable(contract: Contract) -> bool:
    return contract.phase.upper() in TRADING_PHASES


def _working(orders: Sequence[Order], symbol: str) -> list[WorkingOrder]:
    return [
        WorkingOrder(o.order_id, o.side.lower(), o.price_ticks or 0, o.open_quantity)
        for o in orders
        if o.contract == symbol and o.open_quantity > 0
    ]
