"""A versioned, non-executable object codec for snapshots (msgpack via msgspec; ADR 0615).

The state's object graph is written as msgpack values: ``None``, booleans, integers, floats,
strings, bytes and UTC datetimes natively; everything else as a list whose first item is a
tag — containers, exact numbers, dates, enums, named tuples, numpy arrays, the wire's
msgspec structs (their fields, rebuilt by their constructor) and the instances of the
package's own classes (their attributes). Decoding never calls an arbitrary callable:
it resolves classes only in ``tokenfutures`` modules, makes instances with
``object.__new__`` and sets their attributes (or hands ``__setstate__`` what ``__getstate__``
gave), so a blob is data, not code — unlike a pickle. Shared and cyclic references are kept
(a memo of mutable objects). Handlers are chosen once per type, and scalars inside
containers are written without a call, so a large state costs a few passes over its values.
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import cache
from operator import attrgetter
from types import FunctionType, NoneType
from typing import Any

import msgspec
import numpy as np

from tokenfutures.core.errors import InvariantError
from tokenfutures.wire import binary_encoder

_PACKAGE = "tokenfutures"
#: Types msgpack carries as they are (UTC datetimes are handled apart: their tz must be UTC).
_PLAIN = frozenset({NoneType, bool, int, float, str, bytes})

Handler = Callable[[Any], Any]


class SnapshotFormatError(InvariantError):
    """A snapshot blob this codec cannot read (another format, a foreign class, a bad tag)."""


def _ref(cls: Any) -> list[str]:
    return [cls.__module__, cls.__qualname__]


def _resolve(ref: list[str]) -> Any:
    """The class (or function) ``[module, qualname]``, only from the package's own modules."""
    return _resolve_name(ref[0], ref[1])


@cache
def _resolve_name(module: str, qualname: str) -> Any:
    if module != _PACKAGE and not module.startswith(_PACKAGE + "."):
        raise SnapshotFormatError(f"a snapshot may not name {module}.{qualname}")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    if not callable(found) or getattr(found, "__module__", None) != module:
        raise SnapshotFormatError(f"{module}.{qualname} is not one of the package's classes")
    return found


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return [n for n in names if n not in ("__weakref__", "__dict__")]


def _datetime(value: datetime) -> Any:
    return value if value.tzinfo is UTC else ["T", value.isoformat()]


_SCALARS: dict[type, Handler] = {
    datetime: _datetime,
    Decimal: lambda v: ["D", str(v)],
    Fraction: lambda v: ["F", str(v)],
    date: lambda v: ["d", v.isoformat()],
    timedelta: lambda v: ["td", v.days, v.seconds, v.microseconds],
}


class _Encoder:
    def __init__(self) -> None:
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # objects alive while their ids are memoised
        self.handlers: dict[type, Handler] = dict(_SCALARS)

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        handler = self.handlers.get(kind)
        if handler is None:
            handler = self.handlers[kind] = self._handler(kind)
        return handler(value)

    def _items(self, values: Any) -> list[Any]:
        plain, enc = _PLAIN, self.encode
        return [v if type(v) in plain else enc(v) for v in values]

    def _handler(self, kind: type) -> Handler:
        if issubclass(kind, Enum):
            ref = _ref(kind)
            members = {m: ["e", ref, self.encode(m.value)] for m in kind}
            return lambda v: members.get(v) or ["e", ref, self.encode(v.value)]
        if issubclass(kind, np.ndarray):
            return lambda v: ["a", v.dtype.str, list(v.shape), v.tobytes()]
        if issubclass(kind, np.generic):
            return lambda v: ["g", v.dtype.str, v.tobytes()]
        if kind is tuple:
            return lambda v: ["t", self._items(v)]
        if issubclass(kind, tuple) and hasattr(kind, "_fields"):
            ref = _ref(kind)
            return lambda v: ["n", ref, self._items(v)]
        if kind is frozenset:
            return lambda v: ["fs", self._items(v)]
        if issubclass(kind, type) or kind is FunctionType:
            return lambda v: ["c", _ref(v)]
        if issubclass(kind, msgspec.Struct):  # the wire's frozen shapes: fields in order
            ref = _ref(kind)
            return lambda v: ["S", ref, self._items(msgspec.structs.astuple(v))]
        if kind is list:
            return self._mutable(lambda i, v: ["l", i, self._items(v)])
        if kind is dict:
            return self._mutable(lambda i, v: ["m", i, self._items(v), self._items(v.values())])
        if kind is set:
            return self._mutable(lambda i, v: ["s", i, self._items(v)])
        if kind is deque:
            return self._mutable(lambda i, v: ["q", i, v.maxlen, self._items(v)])
        if "__getstate__" in kind.__dict__ and hasattr(kind, "__setstate__"):
            ref = _ref(kind)
            return self._mutable(lambda i, v: ["x", i, ref, self.encode(v.__getstate__())])
        ref, slots = _ref(kind), _slots(kind)
        if slots and "__dict__" not in dir(kind):  # slotted: all attributes in one C call
            names, read = list(slots), attrgetter(*slots)
            single = len(slots) == 1

            def slotted(i: int, v: Any) -> list[Any]:
                try:
                    values = read(v)
                except AttributeError:  # an unset slot: the general path
                    return ["o", i, ref, self._attributes(v, slots)]
                return ["p", i, ref, names, self._items((values,) if single else values)]

            return self._mutable(slotted)
        return self._mutable(lambda i, v: ["o", i, ref, self._attributes(v, slots)])

    def _mutable(self, body: Callable[[int, Any], Any]) -> Handler:
        """A handler that writes a reference for an object already written, else ``body``."""
        memo, keep = self.memo, self.keep

        def handle(value: Any) -> Any:
            index = memo.get(id(value))
            if index is not None:
                return ["r", index]
            index = memo[id(value)] = len(memo)
            keep.append(value)
            return body(index, value)

        return handle

    def _attributes(self, value: Any, slots: list[str]) -> list[Any]:
        names = list(vars(value)) if hasattr(value, "__dict__") else []
        names += [n for n in slots if n not in names]
        out: list[Any] = []
        for name in names:
            try:
                attr = getattr(value, name)
            except AttributeError:
                continue  # an unset slot
            out += (name, attr if type(attr) in _PLAIN else self.encode(attr))
        return out


class _Decoder:
    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}
        self.members: dict[tuple[Any, ...], Any] = {}
        self.tags: dict[str, Handler] = {
            "r": lambda v: self.memo[v[1]],
            "T": lambda v: datetime.fromisoformat(v[1]),
            "D": lambda v: Decimal(v[1]),
            "F": lambda v: Fraction(v[1]),
            "d": lambda v: date.fromisoformat(v[1]),
            "td": lambda v: timedelta(days=v[1], seconds=v[2], microseconds=v[3]),
            "e": self._enum,
            "a": lambda v: np.frombuffer(v[3], dtype=np.dtype(v[1])).reshape(v[2]).copy(),
            "g": lambda v: np.frombuffer(v[2], dtype=np.dtype(v[1]))[0],
            "t": lambda v: tuple(self._items(v[1])),
            "n": lambda v: _resolve(v[1])._make(self._items(v[2])),
            "fs": lambda v: frozenset(self._items(v[1])),
            "c": lambda v: _resolve(v[1]),
            "l": self._list,
            "m": self._dict,
            "s": self._set,
            "q": self._deque,
            "o": self._object,
            "x": self._object,
            "p": self._slotted,
            "S": self._struct,
        }

    def decode(self, value: Any) -> Any:
        if type(value) is not list:
            return value
        handler = self.tags.get(value[0])
        if handler is None:
            raise SnapshotFormatError(f"unknown snapshot tag {value[0]!r}")
        return handler(value)

    def _enum(self, value: list[Any]) -> Any:
        """The member ``value`` names; members of plain values looked up once per blob."""
        raw = value[2]
        if type(raw) is list:
            return _resolve(value[1])(self.decode(raw))
        key = (*value[1], raw)
        member = self.members.get(key)
        if member is None:
            member = self.members[key] = _resolve(value[1])(raw)
        return member

    def _items(self, values: list[Any]) -> list[Any]:
        dec = self.decode
        return [dec(v) if type(v) is list else v for v in values]

    def _list(self, value: list[Any]) -> list[Any]:
        items: list[Any] = []
        self.memo[value[1]] = items
        items.extend(self._items(value[2]))
        return items

    def _dict(self, value: list[Any]) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        self.memo[value[1]] = mapping
        mapping.update(zip(self._items(value[2]), self._items(value[3]), strict=True))
        return mapping

    def _set(self, value: list[Any]) -> set[Any]:
        members: set[Any] = set()
        self.memo[value[1]] = members
        members.update(self._items(value[2]))
        return members

    def _deque(self, value: list[Any]) -> deque[Any]:
        queue: deque[Any] = deque(maxlen=value[2])
        self.memo[value[1]] = queue
        queue.extend(self._items(value[3]))
        return queue

    def _instance(self, value: list[Any]) -> Any:
        """A new, empty instance of the package class ``value[2]``, memoised as ``value[1]``."""
        cls = _resolve(value[2])
        if not isinstance(cls, type):
            raise SnapshotFormatError(f"{value[2]} is not a class")
        obj: Any = object.__new__(cls)
        self.memo[value[1]] = obj
        return obj

    def _fill(self, obj: Any, names: Any, items: Any) -> Any:
        for name, item in zip(names, items, strict=True):
            object.__setattr__(obj, name, self.decode(item) if type(item) is list else item)
        return obj

    def _object(self, value: list[Any]) -> Any:
        obj = self._instance(value)
        if value[0] == "x":
            obj.__setstate__(self.decode(value[3]))
            return obj
        attributes = value[3]
        return self._fill(obj, attributes[0::2], attributes[1::2])

    def _struct(self, value: list[Any]) -> Any:
        cls = _resolve(value[1])
        if not (isinstance(cls, type) and issubclass(cls, msgspec.Struct)):
            raise SnapshotFormatError(f"{value[1]} is not a msgspec struct")
        return cls(*self._items(value[2]))

    def _slotted(self, value: list[Any]) -> Any:
        return self._fill(self._instance(value), value[3], value[4])


def encode_object(value: Any) -> bytes:
    """``value``'s object graph as msgpack bytes (see the module's doc for what it may hold)."""
    return binary_encoder().encode(_Encoder().encode(value))


def decode_object(blob: bytes) -> Any:
    """The object graph ``encode_object`` wrote; raises ``SnapshotFormatError`` on a bad blob."""
    try:
        return _Decoder().decode(msgspec.msgpack.decode(blob))
    except (msgspec.DecodeError, KeyError, IndexError, TypeError, ValueError) as error:
        raise SnapshotFormatError(f"unreadable snapshot body: {error}") from error
