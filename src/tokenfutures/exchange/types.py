"""Closed vocabularies of the matching engine: sides, order types, time in force, reasons, phases."""

from __future__ import annotations

from enum import IntEnum


class Side(IntEnum):
    """Order side; the integer value is the sign of the position change (+1 buy, -1 sell)."""

    BUY = 1
    SELL = -1


class OrderType(IntEnum):
    """How an order is priced: a limit, a market order with protection, or a stop-limit."""

    LIMIT = 1
    MARKET = 2
    STOP_LIMIT = 3


class TimeInForce(IntEnum):
    """How long an order may rest (FIX tag 59 semantics)."""

    DAY = 0
    GTC = 1
    IOC = 3
    FOK = 4
    GTD = 6


class StpMode(IntEnum):
    """Self-trade prevention action, chosen by the aggressing order (CME tag 8000 semantics)."""

    CANCEL_RESTING = 0
    CANCEL_AGGRESSING = 1
    CANCEL_BOTH = 2


class Phase(IntEnum):
    """Trading phase of one contract."""

    CLOSED = 0
    PRE_OPEN = 1
    CONTINUOUS = 2
    HALTED = 3
    EXPIRED = 4


class RejectReason(IntEnum):
    """Closed set of reasons for which a command is rejected (an event, never an exception)."""

    NOT_ON_TICK = 1
    OUTSIDE_BAND = 2
    HALTED = 3
    EXPIRED = 4
    UNKNOWN_CONTRACT = 5
    SIZE_NOT_POSITIVE = 6
    POST_ONLY_WOULD_CROSS = 7
    FOK_NOT_FILLABLE = 8
    DUPLICATE_CLIENT_ORDER_ID = 9
    UNKNOWN_ORDER = 10
    NOT_OWNER = 11
    MARKET_CLOSED = 12
    PRICE_NOT_POSITIVE = 13
    PRICE_MISSING = 14
    NO_LIQUIDITY = 15
    INVALID_DISPLAY_QUANTITY = 16
    INVALID_EXPIRY = 17
    NOT_ALLOWED_IN_PHASE = 18
    DUPLICATE_CONTRACT = 19
    NOTHING_TO_SETTLE = 20


class CancelReason(IntEnum):
    """Why a live order left the book without being filled (every order ends in one terminal state)."""

    USER = 1
    MASS_CANCEL = 2
    IOC_REMAINDER = 3
    SELF_TRADE = 4
    EXPIRED = 5
    END_OF_DAY = 6
    LAST_TRADING_DAY = 7
    HALT = 8
    REPLACED_UNFILLABLE = 9
