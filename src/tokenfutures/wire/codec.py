"""The one codec: msgspec JSON for HTTP, WebSocket frames, the journal and ``--json``.

Binary records (snapshots) use the same conventions in msgpack (``binary=True``).

Conventions (the same everywhere a shape is written): ``Decimal`` and ``Fraction`` as exact
strings (``"0.25"``, ``"1/3"``), never floats; dates and times in ISO 8601 / RFC 3339 (UTC as
``Z``); enums by name; tuples and sets as arrays. Stored records travel in a versioned
:class:`Envelope` so that a reader can refuse, or upgrade, a shape it does not know (ADR 0004).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

import msgspec

from tokenfutures.core.errors import TokenFuturesError

T = TypeVar("T")


class WireError(TokenFuturesError, ValueError):
    """Bytes that are not a known shape (bad JSON, wrong fields, unknown envelope)."""


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():  # a numpy scalar
        return item()
    raise NotImplementedError(f"no wire form for {type(value).__name__}")


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook, decimal_format="string")
#: The same conventions in msgpack, for binary records (snapshots): bytes stay bytes.
_BINARY = msgspec.msgpack.Encoder(enc_hook=_enc_hook, decimal_format="string")


def json_encoder() -> msgspec.json.Encoder:
    """The codec's JSON encoder itself, for hot paths that bind its ``encode`` once."""
    return _ENCODER


def binary_encoder() -> msgspec.msgpack.Encoder:
    """The codec's msgpack encoder (binary records), for hot paths that bind it once."""
    return _BINARY


def encode(value: Any) -> bytes:
    """``value`` as compact JSON bytes (shapes, builtins, Decimal, dates; C speed)."""
    return _ENCODER.encode(value)


def encode_line(value: Any) -> str:
    """``value`` as one line of JSON with enums by name, spaced as ``json.dumps`` spaces it
    (``{"a": 1, "b": [2, 3]}``): what ``--json`` prints."""
    return msgspec.json.format(_ENCODER.encode(jsonable(value)), indent=0).decode()


_SORTED = msgspec.json.Encoder(enc_hook=_enc_hook, decimal_format="string", order="sorted")


def encode_pretty(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` as indented JSON text with enums by name (files people read and diff).

    ``sort_keys`` writes every object's keys in sorted order (documents kept under review,
    such as the OpenAPI file, then change only where their content does).
    """
    encoder = _SORTED if sort_keys else _ENCODER
    return msgspec.json.format(encoder.encode(jsonable(value)), indent=2).decode()


@cache
def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind)


def decode(data: bytes | str, kind: type[T]) -> T:
    """Parse JSON ``data`` as ``kind`` (a shape, ``list[Shape]``, builtins); ``WireError`` if not."""
    try:
        decoder = _decoder(kind)  # type: ignore[arg-type]  # types are hashable
        result: T = decoder.decode(data)
    except msgspec.DecodeError as error:
        raise WireError(f"not a valid {getattr(kind, '__name__', kind)}: {error}") from None
    return result


def convert(data: Any, kind: type[T]) -> T:
    """Build ``kind`` from already-parsed JSON builtins (strings to ``Decimal``, dates...)."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as error:
        raise WireError(f"not a valid {getattr(kind, '__name__', kind)}: {error}") from None


def jsonable(value: Any) -> Any:
    """``value`` as JSON-ready builtins, written as :func:`encode` would write it.

    Shapes and plain values go through msgspec; dataclasses, mappings and sequences are walked
    so that enums inside them are written by name.
    """
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, msgspec.Struct):
        return {name: jsonable(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, datetime | date):
        return msgspec.to_builtins(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


class Envelope(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A stored record: ``[type, version, body]``; the body is decoded once its shape is known."""

    type: str
    v: int
    body: msgspec.Raw


def encode_envelope(kind: str, version: int, body: Any, *, binary: bool = False) -> bytes:
    """``body`` wrapped as ``[kind, version, body]``: JSON, or msgpack when ``binary``.

    One encoder pass writes the envelope and its body (the bytes of an :class:`Envelope`
    holding the body's own encoding).
    """
    return (_BINARY if binary else _ENCODER).encode((kind, version, body))


_BINARY_ENVELOPE = msgspec.msgpack.Decoder(Envelope)


def open_envelope(data: bytes | str, *, binary: bool = False) -> Envelope:
    """The envelope of ``data``, its body still encoded; ``WireError`` if it is not one."""
    if isinstance(data, str) or not binary:
        return decode(data, Envelope)
    try:
        return _BINARY_ENVELOPE.decode(data)
    except msgspec.DecodeError as error:
        raise WireError(f"not a valid Envelope: {error}") from None


def decode_envelope(data: bytes | str, shapes: Mapping[tuple[str, int], type[T]]) -> T:
    """The body of an envelope, parsed as the shape ``shapes`` registers for its (type, v).

    Raises ``WireError`` for an unknown (type, version): a reader never guesses a layout.
    """
    envelope = decode(data, Envelope)
    shape = shapes.get((envelope.type, envelope.v))
    if shape is None:
        raise WireError(f"unknown record {envelope.type!r} version {envelope.v}")
    return decode(envelope.body, shape)


def schema_components(
    shapes: Iterable[type[Any]], *, suffix: str = ""
) -> dict[str, dict[str, Any]]:
    """JSON Schema of ``shapes`` as OpenAPI components, each named ``<name><suffix>``."""
    template = "#/components/schemas/{name}" + suffix
    _, components = msgspec.json.schema_components(tuple(shapes), ref_template=template)
    return {name + suffix: schema for name, schema in components.items()}


def schema_ref(shape: type[Any], *, suffix: str = "") -> dict[str, str]:
    """The OpenAPI ``$ref`` of ``shape`` among :func:`schema_components`."""
    return {"$ref": f"#/components/schemas/{shape.__name__}{suffix}"}
