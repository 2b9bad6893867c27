"""Stored record types by (type, version), and how an old version migrates to the current one.

The journal, the event log and the snapshots write every record in the wire's versioned
:class:`~tokenfutures.wire.codec.Envelope` — ``[type, version, body]`` — and read it back
through a :class:`Records` registry: the body is decoded by the shape registered for its
``(type, version)``, then lifted version by version to the current one by the registered
upgrades (ADR 0008). A writer writes only the current version; an unknown pair is refused
(``WireError``): a reader never guesses a layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from tokenfutures.wire.codec import WireError, encode_envelope, open_envelope

Upgrade = Callable[[Any], Any]


@dataclass(frozen=True)
class RecordType:
    """One version of one record type: its body's shape and the upgrade to the next version."""

    name: str
    version: int
    shape: Any
    upgrade: Upgrade | None = None


def record_key(name: str, version: int) -> str:
    """The type and version as one string (``"order"`` for version 1, ``"order.v2"`` after).

    Stores that keep the type in a column of its own (the journal's ``kind``) write this key
    beside the body: the record is the envelope split across two columns.
    """
    return name if version == 1 else f"{name}.v{version}"


def parse_key(key: str) -> tuple[str, int]:
    """The ``(type, version)`` of a :func:`record_key`."""
    name, dot, version = key.rpartition(".v")
    if dot and name and version.isdigit():
        return name, int(version)
    return key, 1


class Records:
    """The record types of one stream (journal, event log, snapshots), every version of each.

    Parameters
    ----------
    stream
        What the records are, for messages (``"journal"``).
    """

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self._types: dict[tuple[str, int], RecordType] = {}
        self._current: dict[str, int] = {}
        self._json: dict[tuple[str, int], msgspec.json.Decoder[Any]] = {}
        self._msgpack: dict[tuple[str, int], msgspec.msgpack.Decoder[Any]] = {}

    def register(self, name: str, version: int, shape: Any, upgrade: Upgrade | None = None) -> None:
        """Add ``(name, version)``; ``upgrade`` lifts its decoded body to version + 1.

        The highest version of a name is its current one; every lower one needs an upgrade.
        """
        key = (name, version)
        if key in self._types:
            raise WireError(f"{self.stream} record {name!r} version {version} is registered")
        self._types[key] = RecordType(name, version, shape, upgrade)
        self._json[key] = msgspec.json.Decoder(shape)
        self._msgpack[key] = msgspec.msgpack.Decoder(shape)
        self._current[name] = max(version, self._current.get(name, 0))

    def current(self, name: str) -> int:
        """The version a writer writes ``name`` in."""
        version = self._current.get(name)
        if version is None:
            raise WireError(
                f"unknown {self.stream} record {name!r} (one of {sorted(self._current)})"
            )
        return version

    def names(self) -> list[str]:
        """The registered record types."""
        return sorted(self._current)

    def shape(self, name: str, version: int) -> Any:
        """The body's shape of ``(name, version)``."""
        return self._type(name, version).shape

    def _type(self, name: str, version: int) -> RecordType:
        found = self._types.get((name, version))
        if found is None:
            raise WireError(f"unknown {self.stream} record {name!r} version {version}")
        return found

    def read(self, name: str, version: int, body: bytes | str, *, binary: bool = False) -> Any:
        """The body of ``(name, version)`` decoded and lifted to the current version.

        Raises ``WireError`` for an unknown pair, a body its shape refuses, or a missing upgrade.
        """
        kind = self._type(name, version)
        try:
            if isinstance(body, str) or not binary:
                value = self._json[(name, version)].decode(body)
            else:
                value = self._msgpack[(name, version)].decode(body)
        except msgspec.DecodeError as error:
            raise WireError(f"not a valid {self.stream} {name!r} v{version}: {error}") from None
        return self.lift(kind, value)

    def write(self, name: str, body: Any, *, binary: bool = False) -> bytes:
        """``body`` in an envelope of ``name``'s current version (JSON, or msgpack if ``binary``)."""
        return encode_envelope(name, self.current(name), body, binary=binary)

    def open(self, data: bytes | str, *, binary: bool = False) -> tuple[str, Any]:
        """The type of the envelope ``data`` and its body, lifted to the current version."""
        envelope = open_envelope(data, binary=binary)
        return envelope.type, self.read(envelope.type, envelope.v, envelope.body, binary=binary)

    def lift(self, kind: RecordType, value: Any) -> Any:
        """``value`` (a body of ``kind``) upgraded one version at a time to the current one."""
        current = self.current(kind.name)
        while kind.version < current:
            if kind.upgrade is None:
                raise WireError(
                    f"no upgrade of {self.stream} record {kind.name!r} from version {kind.version}"
                )
            value = kind.upgrade(value)
            kind = self._type(kind.name, kind.version + 1)
        return value
