"""The deterministic matching engine: ``apply_many(state, commands) -> [events, ...]``.

Price-time priority on integer ticks and lots; a fast book and a naive reference book behind
one interface; trading phases, auctions, price limits and bands; replay with a state hash.
"""

from tokenfutures.exchange.book import FastBook
from tokenfutures.exchange.commands import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    Command,
    ListContract,
    MassCancel,
    NewOrder,
    OpenMarket,
    ReplaceOrder,
    SettleDay,
    StartSession,
)
from tokenfutures.exchange.engine import apply, apply_many
from tokenfutures.exchange.events import (
    ContractListed,
    Event,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderReplaced,
    PhaseChanged,
    SettlementPriceSet,
    StopTriggered,
    Trade,
)
from tokenfutures.exchange.reference import ReferenceBook
from tokenfutures.exchange.replay import replay, state_hash
from tokenfutures.exchange.rules import InstrumentRules
from tokenfutures.exchange.state import ExchangeState
from tokenfutures.exchange.types import (
    CancelReason,
    OrderType,
    Phase,
    RejectReason,
    Side,
    StpMode,
    TimeInForce,
)

__all__ = [
    "AdvanceTime",
    "CancelOrder",
    "CancelReason",
    "CloseMarket",
    "Command",
    "ContractListed",
    "Event",
    "ExchangeState",
    "FastBook",
    "InstrumentRules",
    "ListContract",
    "MassCancel",
    "NewOrder",
    "OpenMarket",
    "OrderAccepted",
    "OrderCancelled",
    "OrderRejected",
    "OrderReplaced",
    "OrderType",
    "Phase",
    "PhaseChanged",
    "ReferenceBook",
    "RejectReason",
    "ReplaceOrder",
    "SettleDay",
    "SettlementPriceSet",
    "Side",
    "StartSession",
    "StopTriggered",
    "StpMode",
    "TimeInForce",
    "Trade",
    "apply",
    "apply_many",
    "replay",
    "state_hash",
]
