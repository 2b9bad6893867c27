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

from tokenfutures.exchange import OrderAccepted, OrderCancelled, OrderRejected, Trade
from tokenfutures.venue.commands import json_int, json_text
from tokenfutures.venue.views import jsonable


def event_json(event: Any) -> str:
    """One event as a JSON array text."""
    kind = type(event)
    t = json_text
    if kind is Trade:
        side = "null" if event.aggressor_side is None else int(event.aggressor_side)
        return (
            f'["Trade",{event.trade_id},{t(event.contract)},{event.price_ticks},'
            f"{event.quantity},{t(event.buyer)},{t(event.seller)},{event.buy_order_id},"
            f"{event.sell_order_id},{side}]"
        )
    if kind is OrderAccepted:
        return (
            f'["OrderAccepted",{event.order_id},{t(event.contract)},{t(event.account)},'
            f"{t(event.client_order_id)},{int(event.side)},{json_int(event.price_ticks)},"
            f"{event.quantity}]"
        )
    if kind is OrderCancelled:
        return (
            f'["OrderCancelled",{event.order_id},{t(event.contract)},{t(event.account)},'
            f'{event.remaining_quantity},"{event.reason.name}"]'
        )
    if kind is OrderRejected:
        return (
            f'["OrderRejected",{json_int(event.order_id)},{t(event.contract)},'
            f'{t(event.account)},{t(event.client_order_id)},"{event.reason.name}"]'
        )
    return json.dumps([kind.__name__, *(jsonable(v) for v in event[2:])], default=str)


def batch_payload(applied: Iterable[tuple[int, list[Any]]]) -> str | None:
    """The payload of one batch's event-log record (None when no command produced events)."""
    parts = [
        f"[{seq},[{','.join([event_json(e) for e in events])}]]"
        for seq, events in applied
        if events
    ]
    return f"[{','.join(parts)}]" if parts else None
