"""The order-entry checks, written once: plain functions over integers (ADR 0369).

Each returns the ``RejectReason`` value of the first failed check, or ``OK`` (0). The Python
handlers call them as they are; the compiled array path (``array_kernel``) compiles these same
functions with numba, so a rule and its reason code exist in one place only.
"""

from __future__ import annotations

from tokenfutures.exchange.types import RejectReason

#: No problem: the check passed.
OK = 0
_SIZE = int(RejectReason.SIZE_NOT_POSITIVE)
_PRICE = int(RejectReason.PRICE_NOT_POSITIVE)
_TICK = int(RejectReason.NOT_ON_TICK)
_BAND = int(RejectReason.OUTSIDE_BAND)
_UNKNOWN = int(RejectReason.UNKNOWN_ORDER)
_NOT_OWNER = int(RejectReason.NOT_OWNER)


def size_problem(quantity: int) -> int:
    """``SIZE_NOT_POSITIVE`` unless at least one lot is asked for."""
    return _SIZE if quantity <= 0 else OK


def price_problem(price: int, step: int, low: int, high: int) -> int:
    """A price must be positive, on the tick grid (``step``) and inside ``[low, high]``."""
    if price <= 0:
        return _PRICE
    if price % step:
        return _TICK
    if price < low or price > high:
        return _BAND
    return OK


def cancel_problem(found: bool, own: bool) -> int:
    """An order to cancel must exist (``found``) and belong to the asking account (``own``)."""
    if not found:
        return _UNKNOWN
    return OK if own else _NOT_OWNER


#: ``RejectReason`` by value, for turning a check's code back into the enum.
REASONS: dict[int, RejectReason] = {int(reason): reason for reason in RejectReason}
