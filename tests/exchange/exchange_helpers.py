"""Helpers of the exchange tests: test rules and a market driver with a moving clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tokenfutures.exchange import (
    AdvanceTime,
    ExchangeState,
    InstrumentRules,
    ListContract,
    NewOrder,
    OpenMarket,
    Side,
    StartSession,
    apply,
)
from tokenfutures.exchange.state import BookFactory

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EXPIRY = datetime(2026, 12, 16, 17, 0, tzinfo=UTC)
SYMBOL = "SITZ26"
PRIOR = 1000


def rules(**overrides: Any) -> InstrumentRules:
    """Test rules: prior settlement 1000 ticks, ±15/25 % limits, band ±100 ticks."""
    base: dict[str, Any] = {
        "symbol": SYMBOL,
        "tick_size": Decimal("0.01"),
        "prior_settlement_ticks": PRIOR,
        "expiry": EXPIRY,
        "band_ticks": 100,
        "market_protection_ticks": 5,
    }
    base.update(overrides)
    return InstrumentRules(**base)


class Market:
    """A state plus a moving clock: ``send`` applies a command built at the next instant."""

    def __init__(self, factory: BookFactory, **rule_overrides: Any) -> None:
        self.state = ExchangeState(factory)
        self.now = T0
        self.log: list[Any] = []
        self.events: list[Any] = []
        self._coid = 0
        self.send(ListContract(self.now, rules(**rule_overrides)))

    def tick(self, seconds: float = 1.0) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def advance(self, delta: timedelta) -> list[Any]:
        """Move the clock by ``delta`` and let the engine fire due timers."""
        self.now += delta
        return self.send(AdvanceTime(self.now))

    def send(self, command: Any) -> list[Any]:
        self.log.append(command)
        self.state, events = apply(self.state, command)
        self.events.extend(events)
        return events

    def open(self) -> list[Any]:
        self.send(StartSession(self.tick(), SYMBOL))
        return self.send(OpenMarket(self.tick(), SYMBOL))

    def order(
        self, account: str, side: Side, quantity: int, price: int | None = None, **kw: Any
    ) -> list[Any]:
        self._coid += 1
        coid = kw.pop("client_order_id", f"c{self._coid}")
        return self.send(
            NewOrder(
                self.tick(), kw.pop("contract", SYMBOL), account, coid, side, quantity, price, **kw
            )
        )


def of_type(events: list[Any], kind: type) -> list[Any]:
    """The events of one type, in order."""
    return [e for e in events if isinstance(e, kind)]
