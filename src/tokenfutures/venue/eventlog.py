"""The event log's encoding: one record per committed batch, events as compact JSON arrays.

A record's payload is ``[[command seq, [event, ...]], ...]``; an event is its type name and
its fields without ``seq``/``ts`` (the record's). The frequent events are formatted by hand
(building nested lists for ``json.dumps`` cost more than the matching itself); the rare
ones go through ``json.dumps``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from tokenfutures.exchange import (
    CancelReason,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    Trade,
)
from tokenfutures.venue.commands import json_int, json_name, json_pair, json_text
from tokenfutures.venue.views import jsonable

#: ``"NAME"`` of each cancel reason (an enum's ``name`` is a Python-level property: slow).
_REASON_TEXT = {reason: f'"{reason.name}"' for reason in CancelReason}


def event_json(event: Any) -> str:
    """One event as a JSON array text."""
    kind = type(event)
    if kind is OrderAccepted:
        price = event.price_ticks
        return (
            f'["OrderAccepted",{event.order_id},{json_pair(event.contract, event.account)},'
            f"{json_text(event.client_order_id)},{int(event.side)},"
            f"{'null' if price is None else int(price)},{event.quantity}]"
        )
    if kind is Trade:
        side = "null" if event.aggressor_side is None else int(event.aggressor_side)
        return (
            f'["Trade",{event.trade_id},{json_name(event.contract)},{event.price_ticks},'
            f"{event.quantity},{json_pair(event.buyer, event.seller)},{event.buy_order_id},"
            f"{event.sell_order_id},{side}]"
        )
    if kind is OrderCancelled:
        reason = _REASON_TEXT.get(event.reason) or f'"{event.reason.name}"'
        return (
            f'["OrderCancelled",{event.order_id},{json_pair(event.contract, event.account)},'
            f"{event.remaining_quantity},{reason}]"
        )
    if kind is OrderRejected:
        t = json_text
        return (
            f'["OrderRejected",{json_int(event.order_id)},{t(event.contract)},'
            f'{t(event.account)},{t(event.client_order_id)},"{event.reason.name}"]'
        )
    return json.dumps([kind.__name__, *(jsonable(v) for v in event[2:])], default=str)


def command_parts(applied: Iterable[tuple[int, list[Any]]]) -> list[str]:
    """``[seq,[event, ...]]`` texts of the commands that produced events (a payload's items)."""
    encode = event_json
    return [
        f"[{seq},[{encode(events[0]) if len(events) == 1 else ','.join(map(encode, events))}]]"
        for seq, events in applied
        if events
    ]


def batch_payload(applied: Iterable[tuple[int, list[Any]]]) -> str | None:
    """The payload of one batch's event-log record (None when no command produced events)."""
    parts = command_parts(applied)
    return f"[{','.join(parts)}]" if parts else None
