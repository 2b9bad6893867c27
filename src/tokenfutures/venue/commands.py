"""The venue's journalled commands and their codec (command ↔ ``(kind, JSON payload)``).

Exchange commands (``NewOrder``, ``CancelOrder``...) are journalled as they are; the venue
adds its own (accounts, listings, TPI fixes, end of day). The timestamp is the journal
record's ``ts``, so a payload never repeats it. Orders use a compact JSON array: they are
the hot path of the journal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from json.encoder import encode_basestring_ascii
from typing import Any, NamedTuple

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    MassCancel,
    NewOrder,
    OpenMarket,
    OrderType,
    ReplaceOrder,
    Side,
    StartSession,
    StpMode,
    TimeInForce,
)


class CreateAccount(NamedTuple):
    """Open an account (optionally the client of a clearing member) with a first deposit."""

    ts: datetime
    account: str
    member: str | None
    deposit_micros: int


class Deposit(NamedTuple):
    """Move cash into an account's collateral at the CCP (negative: a withdrawal)."""

    ts: datetime
    account: str
    amount_micros: int


class ListInstrument(NamedTuple):
    """List a contract of the shipped specs with its first prior settlement (ticks)."""

    ts: datetime
    symbol: str
    prior_settlement_ticks: int


class FixIndex(NamedTuple):
    """Ingest one daily TPI fix (level as a canonical decimal string, or None when withheld)."""

    ts: datetime
    day: date
    level: str | None
    status: str
    audit: str


class EndOfDay(NamedTuple):
    """Daily settlement prices, variation margin and calls; expiries and final settlement."""

    ts: datetime
    day: date


VenueCommand = (
    NewOrder
    | CancelOrder
    | ReplaceOrder
    | MassCancel
    | StartSession
    | OpenMarket
    | CloseMarket
    | AdvanceTime
    | CreateAccount
    | Deposit
    | ListInstrument
    | FixIndex
    | EndOfDay
)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def json_text(value: str | None) -> str:
    """A JSON string literal (the C encoder ``json.dumps`` uses, without its overhead)."""
    return "null" if value is None else encode_basestring_ascii(value)


_NAMES: dict[str, str] = {}
_NAMES_KEPT = 4096


def json_name(value: str) -> str:
    """``json_text`` of a recurring name (contract, account), memoised."""
    text = _NAMES.get(value)
    if text is None:
        text = encode_basestring_ascii(value)
        if len(_NAMES) < _NAMES_KEPT:
            _NAMES[value] = text
    return text


def json_int(value: int | None) -> str:
    return "null" if value is None else str(int(value))


_PAIRS: dict[tuple[str, str], str] = {}
_TAILS: dict[tuple[Any, ...], str] = {}


def json_pair(first: str, second: str) -> str:
    """``json_name(first),json_name(second)`` (contract and account recur together: memoised)."""
    key = (first, second)
    text = _PAIRS.get(key)
    if text is None:
        text = f"{json_name(first)},{json_name(second)}"
        if len(_PAIRS) < _NAMES_KEPT:
            _PAIRS[key] = text
    return text


def _order_tail(c: NewOrder) -> str:
    """The fields after the price (type, time in force... STP mode): few distinct values."""
    key = c[7:]
    text = _TAILS.get(key)
    if text is None:
        expire = "null" if c.expire_at is None else f'"{c.expire_at.isoformat()}"'
        text = (
            f"{int(c.order_type)},{int(c.tif)},{expire},{'true' if c.post_only else 'false'},"
            f"{json_int(c.display_quantity)},{json_int(c.stop_price_ticks)},"
            f"{json_text(c.stp_group)},{int(c.stp_mode)}]"
        )
        if len(_TAILS) < _NAMES_KEPT:
            _TAILS[key] = text
    return text


def encode_order(c: NewOrder) -> str:
    """The order as a compact JSON array (hand-built: ``json.dumps`` was a third of the cost)."""
    price = c.price_ticks
    return (
        f"[{json_pair(c.contract, c.account)},{json_text(c.client_order_id)},{int(c.side)},"
        f"{int(c.quantity)},{'null' if price is None else int(price)},{_order_tail(c)}"
    )


def encode_cancel(c: CancelOrder) -> str:
    """A cancel's payload ``[contract, account, order id]``."""
    return f"[{json_name(c.contract)},{json_name(c.account)},{int(c.order_id)}]"


def _decode_order(ts: datetime, p: list[Any]) -> NewOrder:
    return NewOrder(
        ts,
        p[0],
        p[1],
        p[2],
        Side(p[3]),
        p[4],
        p[5],
        OrderType(p[6]),
        TimeInForce(p[7]),
        _dt(p[8]),
        p[9],
        p[10],
        p[11],
        p[12],
        StpMode(p[13]),
    )


def _plain_fields(command: Any) -> str:
    values = [
        v.isoformat() if isinstance(v, date) else v for v in tuple(command)[1:]
    ]  # ts is the record's
    return _dumps(values)


_DATE_FIELDS = {"day"}


def _plain(cls: Any) -> Callable[[datetime, list[Any]], Any]:
    names = cls._fields[1:]

    def build(ts: datetime, values: list[Any]) -> Any:
        converted = [
            date.fromisoformat(v) if name in _DATE_FIELDS else v
            for name, v in zip(names, values, strict=True)
        ]
        return cls(ts, *converted)

    return build


_KINDS: dict[type, str] = {
    NewOrder: "order",
    CancelOrder: "cancel",
    ReplaceOrder: "replace",
    MassCancel: "mass_cancel",
    StartSession: "start_session",
    OpenMarket: "open_market",
    CloseMarket: "close_market",
    AdvanceTime: "advance_time",
    CreateAccount: "create_account",
    Deposit: "deposit",
    ListInstrument: "list",
    FixIndex: "fix_index",
    EndOfDay: "end_of_day",
}
_DECODERS: dict[str, Callable[[datetime, list[Any]], Any]] = {
    kind: _plain(cls) for cls, kind in _KINDS.items() if cls is not NewOrder
}
_DECODERS["order"] = _decode_order


def encode(command: VenueCommand) -> tuple[str, str]:
    """The journal ``(kind, payload)`` of ``command`` (its ``ts`` goes in the record)."""
    cls = type(command)
    if cls is NewOrder:
        return "order", encode_order(command)  # type: ignore[arg-type]
    if cls is CancelOrder:
        return "cancel", encode_cancel(command)  # type: ignore[arg-type]
    kind = _KINDS.get(cls)
    if kind is None:
        raise InvalidParameterError("command", cls.__name__, "a journalled venue command")
    return kind, _plain_fields(command)


def decode(kind: str, ts: datetime, payload: str) -> VenueCommand:
    """Rebuild the command journalled as ``(kind, ts, payload)``."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise InvalidParameterError("kind", kind, f"one of {sorted(_DECODERS)}")
    result: VenueCommand = decoder(ts, json.loads(payload))
    return result
