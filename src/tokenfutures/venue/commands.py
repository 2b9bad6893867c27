"""The venue's journalled commands and their codec (command ↔ ``(kind, JSON payload)``).

Exchange commands (``NewOrder``, ``CancelOrder``...) are journalled as they are; the venue
adds its own (accounts, listings, TPI fixes, end of day). The timestamp is the journal
record's ``ts``, so a payload never repeats it: the payload is the JSON array of the other
fields. A journal record is the wire's versioned envelope split across two columns: ``kind``
is the record type and version (``wire.record_key``: ``"order"`` for version 1,
``"order.v2"`` after) and ``payload`` its body, read through the ``JOURNAL`` registry of
typed payload structs, so a malformed payload is refused by name (ADR 0008, 0615).

To journal a new command: a ``NamedTuple`` with ``ts`` first, one line in ``_KINDS`` (and in
``VenueCommand``). To change a command's layout: register the new version's struct in
``JOURNAL`` with an upgrade from the old one (ADR 0008); the old records keep decoding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple, get_type_hints

import msgspec

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    MassCancel,
    NewOrder,
    OpenMarket,
    ReplaceOrder,
    StartSession,
)
from tokenfutures.wire import Records, WireError, json_encoder, parse_key, record_key


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
    """List a contract of the shipped specs with its first prior settlement (ticks).

    ``spec_version`` names the spec the contract is listed under (ADR 0306); journals written
    before versions existed listed the paper's ``v1``, which the default keeps on replay.
    """

    ts: datetime
    symbol: str
    prior_settlement_ticks: int
    spec_version: str = "v1"


class FixIndex(NamedTuple):
    """Ingest one daily TPI fix (level as a canonical decimal string, or None when withheld)
    with its audit trail and publication record (a JSON object; version 1 held it as text)."""

    ts: datetime
    day: date
    level: str | None
    status: str
    audit: dict[str, Any]


class EndOfDay(NamedTuple):
    """Daily settlement prices, variation margin and calls; expiries and final settlement."""

    ts: datetime
    day: date


class SetAuctionWindow(NamedTuple):
    """The bid window of the default auctions opened from now on, seconds of the venue's clock."""

    ts: datetime
    seconds: int


class BidAuction(NamedTuple):
    """A member's sealed bid for a default auction's portfolio (USD micros paid to the CCP)."""

    ts: datetime
    auction_id: int
    member: str
    amount_micros: int


class CloseAuction(NamedTuple):
    """Close a default auction's window: award the portfolio, penalties, waterfall (ADR 0420)."""

    ts: datetime
    auction_id: int


class SetMarginMethod(NamedTuple):
    """The live initial-margin method from this command on (``clearing.margin.live``, ADR 0431)."""

    ts: datetime
    method: str


class SetAccountSettings(NamedTuple):
    """An account's defaults: the self-trade prevention of its orders that name none (ADR 0432)."""

    ts: datetime
    account: str
    self_trade_prevention: str


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
    | BidAuction
    | CloseAuction
    | SetAuctionWindow
    | SetMarginMethod
    | SetAccountSettings
)


#: The first version of every journal record type (ADR 0008).
JOURNAL_VERSION = 1


def _payload_struct(cls: type) -> type[msgspec.Struct]:
    """The typed payload of ``cls``: its fields after ``ts``, as a positional msgspec struct."""
    hints = get_type_hints(cls)
    defaults = cls._field_defaults  # type: ignore[attr-defined]
    fields = [
        (name, hints[name], defaults[name]) if name in defaults else (name, hints[name])
        for name in cls._fields[1:]  # type: ignore[attr-defined]
    ]  # a trailing field with a default may be absent from an older record's payload
    return msgspec.defstruct(
        f"{cls.__name__}Payload", fields, array_like=True, frozen=True, forbid_unknown_fields=True
    )


#: The journalled commands and their record types (one line per command).
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
    BidAuction: "auction_bid",
    CloseAuction: "auction_close",
    SetAuctionWindow: "auction_window",
    SetMarginMethod: "margin_method",
    SetAccountSettings: "account_settings",
}
#: Journal kind → (command class, typed payload struct) of the current version.
JOURNAL_KINDS: dict[str, tuple[type, type[msgspec.Struct]]] = {
    kind: (cls, _payload_struct(cls)) for cls, kind in _KINDS.items()
}
_CLASSES = {kind: cls for cls, kind in _KINDS.items()}


class FixIndexV1(msgspec.Struct, array_like=True, frozen=True, forbid_unknown_fields=True):
    """``fix_index`` version 1: the audit as JSON text inside the payload (ADR 0636)."""

    day: date
    level: str | None
    status: str
    audit: str


def _audit_object(old: FixIndexV1) -> msgspec.Struct:
    """Lift a version-1 fix to version 2: its audit text parsed into the JSON object it holds."""
    current = JOURNAL_KINDS["fix_index"][1]
    audit = json.loads(old.audit) if old.audit else {}
    lifted: msgspec.Struct = current(old.day, old.level, old.status, audit)
    return lifted


#: The older versions of a record type, oldest first, each with its lift to the next one;
#: the current version (one above the last) is the struct derived from the command.
_OLDER: dict[str, list[tuple[type[msgspec.Struct], Callable[[Any], Any]]]] = {
    "fix_index": [(FixIndexV1, _audit_object)],
}
#: Every version of every journal record type (the current one derived from the command).
JOURNAL = Records("journal")
for _kind, (_, _struct) in JOURNAL_KINDS.items():
    _older = _OLDER.get(_kind, [])
    for _version, (_old, _lift) in enumerate(_older, start=JOURNAL_VERSION):
        JOURNAL.register(_kind, _version, _old, _lift)
    JOURNAL.register(_kind, JOURNAL_VERSION + len(_older), _struct)
#: Journal kind of the current version → (command class, its struct's decoder).
_CURRENT = {
    record_key(kind, JOURNAL.current(kind)): (cls, msgspec.json.Decoder(struct))
    for kind, (cls, struct) in JOURNAL_KINDS.items()
}
_ENCODE = json_encoder().encode


def payload_of(command: VenueCommand) -> str:
    """A command's fields after ``ts`` as its payload struct's JSON array (the record's payload).

    The named tuple's values are encoded directly, in C: the very bytes of its payload struct
    (tested for every kind), without building the struct on the hot path (ADR 0612, 0615).
    """
    return _ENCODE(command[1:]).decode()


def encode(command: VenueCommand) -> tuple[str, str]:
    """The journal ``(kind, payload)`` of ``command`` (its ``ts`` goes in the record)."""
    kind = _KINDS.get(type(command))
    if kind is None:
        raise InvalidParameterError("command", type(command).__name__, "a journalled venue command")
    return record_key(kind, JOURNAL.current(kind)), payload_of(command)


def decode(kind: str, ts: datetime, payload: str) -> VenueCommand:
    """Rebuild the command journalled as ``(kind, ts, payload)``, checked against its struct.

    A record of the current version is decoded by its struct's decoder directly (replay's
    hot path); one of an older version is lifted to the current one by ``JOURNAL``. Raises
    ``InvalidParameterError`` for an unknown kind or a payload its struct refuses.
    """
    found = _CURRENT.get(kind)
    cls: type | None
    try:
        if found is not None:
            cls, decoder = found
            fields = msgspec.structs.astuple(decoder.decode(payload))
        else:
            name, version = parse_key(kind)
            cls = _CLASSES.get(name)
            if cls is None:
                raise InvalidParameterError("kind", kind, f"one of {JOURNAL.names()}")
            fields = msgspec.structs.astuple(JOURNAL.read(name, version, payload))
    except (WireError, msgspec.DecodeError) as error:
        raise InvalidParameterError("payload", payload, f"a {kind} payload ({error})") from error
    result: VenueCommand = cls(ts, *fields)
    return result
