"""The venue's journalled commands and their codec (command ↔ ``(kind, JSON payload)``).

Exchange commands (``NewOrder``, ``CancelOrder``...) are journalled as they are; the venue
adds its own (accounts, listings, TPI fixes, end of day). The timestamp is the journal
record's ``ts``, so a payload never repeats it: the payload is the JSON array of the other
fields, encoded by msgspec (orders are the hot path of the journal) and decoded through each
kind's typed payload struct (``JOURNAL_KINDS``), so a malformed payload is refused by name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple, get_type_hints

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
    """Ingest one daily TPI fix (level as a canonical decimal string, or None when withheld)."""

    ts: datetime
    day: date
    level: str | None
    status: str
    audit: str


class EndOfDay(NamedTuple):
    """Daily settlement prices, variation margin and calls; expiries and final settlement.

    ``auction_window_s``: the bid window of the default auctions it opens, in seconds of the
    venue's clock (journals written before auctions decode with ADR 0408's hour).
    """

    ts: datetime
    day: date
    auction_window_s: int = 3600


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
)


#: The journal's schema version: a record's ``kind`` names its payload struct (``JOURNAL_KINDS``);
#: a future change of a layout gets a new kind (``"order.v2"``) beside the old one, which keeps
#: decoding the records written before it (ADR 0615).
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
}
#: Journal kind → (command class, typed payload struct) of schema version 1.
JOURNAL_KINDS: dict[str, tuple[type, type[msgspec.Struct]]] = {
    kind: (cls, _payload_struct(cls)) for cls, kind in _KINDS.items()
}
_DECODERS = {
    kind: (cls, msgspec.json.Decoder(struct)) for kind, (cls, struct) in JOURNAL_KINDS.items()
}
_ENCODER = msgspec.json.Encoder()


def payload_of(command: VenueCommand) -> str:
    """A command's fields after ``ts`` as its payload struct's JSON array (the record's payload).

    The named tuple's values are encoded directly, in C: the very bytes of its payload struct
    (tested for every kind), without building the struct on the hot path (ADR 0612, 0615).
    """
    return _ENCODER.encode(command[1:]).decode()


def encode(command: VenueCommand) -> tuple[str, str]:
    """The journal ``(kind, payload)`` of ``command`` (its ``ts`` goes in the record)."""
    kind = _KINDS.get(type(command))
    if kind is None:
        raise InvalidParameterError("command", type(command).__name__, "a journalled venue command")
    return kind, payload_of(command)


def decode(kind: str, ts: datetime, payload: str) -> VenueCommand:
    """Rebuild the command journalled as ``(kind, ts, payload)``, checked against its struct.

    Raises ``InvalidParameterError`` for an unknown kind or a payload its struct refuses.
    """
    found = _DECODERS.get(kind)
    if found is None:
        raise InvalidParameterError("kind", kind, f"one of {sorted(_DECODERS)}")
    cls, decoder = found
    try:
        fields = msgspec.structs.astuple(decoder.decode(payload))
    except msgspec.ValidationError as error:
        raise InvalidParameterError("payload", payload, f"a {kind} payload ({error})") from error
    result: VenueCommand = cls(ts, *fields)
    return result
