"""Idempotent order entry (ADR 0658): a retry must repeat its first request exactly.

A client order id names one order for good. A retry with the same (account, client order id)
gets the first ack back; one that differs in anything (contract, side, size, price, type,
time in force, flags) is refused with ``CLIENT_ORDER_ID_REUSED`` and never journalled, as
the IETF idempotency-key draft asks of a reused key with another payload.
"""

from __future__ import annotations

from typing import Any

from tokenfutures.exchange import NewOrder
from tokenfutures.venue.commands import decode
from tokenfutures.venue.ports import Store

#: The rejection reason of a reused client order id (never journalled).
CLIENT_ORDER_ID_REUSED = "CLIENT_ORDER_ID_REUSED"


def same_order(first: NewOrder, retry: NewOrder | str) -> bool:
    """True when ``retry`` asks for exactly what ``first`` asked (its stamp aside)."""
    return isinstance(retry, NewOrder) and tuple(first[1:]) == tuple(retry[1:])


def journalled_order(store: Store, seq: int) -> NewOrder | None:
    """The ``NewOrder`` journalled at ``seq`` (None when that record is not one)."""
    for record in store.journal.read(from_seq=seq, limit=1):
        command: Any = decode(record.kind, record.ts, record.payload)
        return command if isinstance(command, NewOrder) else None
    return None
