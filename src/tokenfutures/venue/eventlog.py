"""The event log's encoding (ADR 0612, 0008): one record per flushed chunk of commands.

A record is the wire's versioned envelope ``["events", 3, {"kinds": [...], "commands": [[seq,
[event, ...]], ...]}]``: each command that produced events with its journal ``seq``, each
event the array of its fields in declaration order (``seq`` and ``ts`` included, enums as
their values, fractions as ``"n/d"``), and ``kinds`` the type name of every event in the same
order. The engine's named tuples are encoded by the wire's msgspec encoder in C, so a chunk
costs one call, not Python work per event, and ``decode_chunk`` rebuilds the very same event
tuples. Records of format 2 (the same body as a bare object with ``"format": 2``) are read as
version 2 of the envelope and lifted; the first format (a bare list) by ``decode_record``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from itertools import chain
from operator import itemgetter
from typing import Any, Literal, NamedTuple, get_args

import msgspec

from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import Event
from tokenfutures.wire import Records, WireError, encode_envelope

#: The envelope version the writer writes (formats 1 and 2 came before the envelope).
FORMAT = 3
RECORD = "events"
#: The event types a record may hold (the engine's ``Event`` union), by their ``kinds`` name.
EVENT_TYPES: dict[str, type] = {cls.__name__: cls for cls in get_args(Event)}
_NAME_OF = {cls: name for name, cls in EVENT_TYPES.items()}

Chunk = list[tuple[int, Sequence[Any]]]
#: The events of a ``(command seq, events)`` pair.
EVENTS_OF = itemgetter(1)


class EventChunk(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The body of an event-log record (version 3): event type names and per-command events."""

    kinds: list[str]
    commands: list[tuple[int, list[list[Any]]]]


class EventChunkV2(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Format 2: the same columns in a bare object tagged ``"format": 2``."""

    format: Literal[2]
    kinds: list[str]
    commands: list[tuple[int, list[list[Any]]]]


#: Every version of the event log's record.
EVENT_LOG = Records("event log")
EVENT_LOG.register(RECORD, 2, EventChunkV2, lambda old: EventChunk(old.kinds, old.commands))
EVENT_LOG.register(RECORD, FORMAT, EventChunk)


def _decode_extra(kind: type, value: Any) -> Any:
    if kind is Fraction and isinstance(value, str):
        return Fraction(value)
    raise NotImplementedError(f"cannot decode {kind!r} from the event log")


def chunk_payload(commands: Chunk) -> str | None:
    """The record of ``(command seq, events)`` pairs (None when no command produced events)."""
    kept = list(filter(EVENTS_OF, commands))  # C-level passes: no Python frame per event
    if not kept:
        return None
    events = chain.from_iterable(map(EVENTS_OF, kept))
    try:
        kinds = list(map(_NAME_OF.__getitem__, map(type, events)))
    except KeyError as error:
        raise InvariantError(f"no event-log name for {error.args[0]!r}") from error
    return encode_envelope(RECORD, FORMAT, {"kinds": kinds, "commands": kept}).decode()


#: Field names of the first format's hand-written events (type name first, no seq or ts);
#: other types wrote their fields after ``seq`` and ``ts`` in declaration order.
_FORMAT_1_FIELDS: dict[str, tuple[str, ...]] = {
    "OrderAccepted": (
        "order_id",
        "contract",
        "account",
        "client_order_id",
        "side",
        "price_ticks",
        "quantity",
    ),
    "Trade": (
        "trade_id",
        "contract",
        "price_ticks",
        "quantity",
        "buyer",
        "seller",
        "buy_order_id",
        "sell_order_id",
        "aggressor_side",
    ),
    "OrderCancelled": ("order_id", "contract", "account", "remaining_quantity", "reason"),
    "OrderRejected": ("order_id", "contract", "account", "client_order_id", "reason"),
}


class FormatOneEvent(NamedTuple):
    """An event as the first format logged it: its type name and the fields it kept.

    That format dropped each event's ``seq`` and ``ts`` (and an acceptance's order type), so
    its events cannot become the engine's tuples again; the journal can (replay it).
    """

    kind: str
    fields: dict[str, Any]


def _format_one_event(row: list[Any]) -> FormatOneEvent:
    kind, values = row[0], row[1:]
    names = _FORMAT_1_FIELDS.get(kind)
    if names is None:
        cls = EVENT_TYPES.get(kind)
        if cls is None:
            raise InvariantError(f"unknown event kind {kind!r} in the event log")
        fields: tuple[str, ...] = getattr(cls, "_fields", ())
        names = tuple(f for f in fields if f not in ("seq", "ts"))
    if len(names) != len(values):
        raise InvariantError(f"a format-1 {kind} with {len(values)} fields, not {len(names)}")
    return FormatOneEvent(kind, dict(zip(names, values, strict=True)))


def decode_record(payload: str) -> list[tuple[int, list[Any]]]:
    """The ``(command seq, events)`` pairs of a record of either format.

    Format 2 gives the engine's tuples (``decode_chunk``); the first format (a bare JSON list)
    gives ``FormatOneEvent`` rows. Raises ``InvariantError`` for anything else.
    """
    body = msgspec.json.decode(payload)
    if isinstance(body, list) and (not body or not isinstance(body[0], str)):
        try:
            return [(seq, [_format_one_event(row) for row in rows]) for seq, rows in body]
        except (TypeError, ValueError, IndexError) as error:
            raise InvariantError(f"a malformed format-1 event-log record: {error}") from error
    return decode_chunk(payload)


def decode_chunk(payload: str) -> list[tuple[int, list[Any]]]:
    """The ``(command seq, events)`` pairs of a record, events rebuilt as the engine's tuples.

    Raises ``InvariantError`` for a record of another format or whose columns disagree.
    """
    try:
        if payload.lstrip().startswith("{"):
            body = EVENT_LOG.read(RECORD, 2, payload)
        else:
            _, body = EVENT_LOG.open(payload)
    except WireError as error:
        message = f"an event-log record of format 2 or {FORMAT} was expected: {error}"
        raise InvariantError(message) from error
    kinds = iter(body.kinds)
    out: list[tuple[int, list[Any]]] = []
    try:
        for seq, fields in body.commands:
            out.append((seq, [_event(next(kinds), values) for values in fields]))
    except StopIteration as error:
        raise InvariantError("an event-log record has fewer kinds than events") from error
    if next(kinds, None) is not None:
        raise InvariantError("an event-log record has more kinds than events")
    return out


def _event(kind: str, values: list[Any]) -> Any:
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise InvariantError(f"unknown event kind {kind!r} in the event log")
    return msgspec.convert(values, cls, dec_hook=_decode_extra)


def last_command(payload: str) -> int:
    """The seq of the last command logged in a record (of any format)."""
    body = msgspec.json.decode(payload)
    if isinstance(body, list) and body and isinstance(body[0], str):
        body = body[2]  # the envelope's body
    commands: Iterable[Any] = body["commands"] if isinstance(body, dict) else body
    last = 0
    for seq, _ in commands:
        last = seq
    return int(last)
