"""The venue's state hash: one SHA-256 over everything recovery must restore (ADR 0615, 0631).

Equal after a replay of the same journal, and after a snapshot round trip; a snapshot that
loses anything a restart needs — ledger history (entries and their journal seqs), kept
trades, settlement views, listings, acks, order records, the books — hashes differently and
is refused. The hash is versioned: version 2 (``"v2:" + hex``) is fed part by part into one
SHA-256 as msgpack (msgspec, in C), maps in their insertion order (deterministic under a
replay, kept by a snapshot) and only sets sorted; version 1 (bare hex, ``statehash_v1``) is
what earlier builds stored and is still computed for their snapshots.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator, Mapping
from operator import attrgetter
from typing import Any

import msgspec

from tokenfutures.clearing.ledger import LedgerAccount
from tokenfutures.exchange import Side
from tokenfutures.exchange.events import OrderAccepted
from tokenfutures.exchange.state import ContractState, ExchangeState
from tokenfutures.venue.auctions import auction_view
from tokenfutures.venue.state import VenueState
from tokenfutures.venue.statehash_v1 import state_hash_v1

#: The version new snapshots' hashes are written in.
HASH_VERSION = 2
#: The versions this build can compute (a snapshot hashed in another one is passed over).
HASH_VERSIONS = frozenset({1, HASH_VERSION})
_PREFIX = "v2:"
_TAG = b"tokenfutures/venue-state-hash/2\n"

#: An engine order's fields (as ``Order.canonical``), read in one C call per order.
_ORDER = attrgetter(
    "order_id", "account", "client_order_id", "side", "price", "quantity", "visible",
    "display", "tif", "priority", "expire_at", "stp_group", "stp_mode", "post_only",
    "stop_price",
)  # fmt: skip
#: An order record's hashed fields; an ``OrderAccepted`` gives the first four, then open, 0.
_RECORD = attrgetter("order_id", "account", "price_ticks", "open", "status", "filled")
_ACCEPTED = attrgetter("order_id", "account", "price_ticks", "quantity")
_OPEN = ("open", 0)


def _hook(value: Any) -> Any:
    """The msgpack form of the few types msgspec has none for (kept trades, ledger accounts)."""
    if isinstance(value, deque):
        return list(value)
    if isinstance(value, LedgerAccount):
        return str(value)
    raise NotImplementedError(f"the state hash has no form for {type(value).__name__}")


#: Big parts: maps as they are (insertion order); audits (JSON-like maps): keys sorted.
_FAST = msgspec.msgpack.Encoder(enc_hook=_hook)
_SORTED = msgspec.msgpack.Encoder(enc_hook=_hook, order="deterministic")


def hash_version(stored: str) -> int:
    """The version of a stored state hash: ``"vN:…"`` is N; a bare hex digest is version 1."""
    head, sep, _ = stored.partition(":")
    if sep and head.startswith("v") and head[1:].isdigit():
        return int(head[1:])
    return 1


def state_hash(state: VenueState, version: int = HASH_VERSION) -> str:
    """The state's hash in ``version`` (the current one by default; 1 for old snapshots)."""
    if version == 1:
        return state_hash_v1(state)
    if version not in HASH_VERSIONS:
        raise ValueError(f"no state hash of version {version} in this build")
    digest = hashlib.sha256(_TAG)
    for part in _parts(state):  # msgpack values are self-delimiting: no separators needed
        digest.update(part)
    return _PREFIX + digest.hexdigest()


def matches(state: VenueState, stored: str) -> bool:
    """Whether ``state`` hashes to ``stored`` in ``stored``'s own version (unknown: False)."""
    version = hash_version(stored)
    return version in HASH_VERSIONS and state_hash(state, version) == stored


def _parts(state: VenueState) -> Iterator[bytes]:
    fast = _FAST.encode
    yield fast(state.seq)
    yield from _exchange(state.exchange)
    yield fast(state.acks)
    yield fast(_order_rows(state))
    yield fast(state.trades)
    yield from _clearing(state)
    yield fast(_views(state))


def _exchange(ex: ExchangeState) -> Iterator[bytes]:
    """The engine: counters, client ids (a set: each encoded, then sorted), timers, contracts."""
    fast = _FAST.encode
    yield fast((ex.seq, ex.next_order_id, ex.next_trade_id, ex.next_priority, ex.last_ts))
    yield fast(sorted(map(fast, ex.client_ids)))  # bytes sort twice as fast as tuples
    yield fast(sorted(ex.timers))
    for name in sorted(ex.contracts):
        yield fast(_contract(ex.contracts[name]))


def _contract(cs: ContractState) -> tuple[Any, ...]:
    book = cs.book
    return (
        cs.symbol, cs.rules, cs.phase, cs.last_price, cs.prior_settlement, cs.settlement_price,
        cs.halt_until, cs.limit_stage, cs.limit_lo, cs.limit_hi, cs.session_lo, cs.session_hi,
        cs.band_lo, cs.band_hi, cs.band_widths, cs.session_trades,
        list(map(_ORDER, book.in_priority(Side.BUY))),
        list(map(_ORDER, book.in_priority(Side.SELL))),
        list(map(_ORDER, cs.stops.values())),
    )  # fmt: skip


def _order_rows(state: VenueState) -> list[tuple[Any, ...]]:
    """Every order record in acceptance order; a not yet materialised one as an open record."""
    stored, _ = state.orders.__getstate__()
    accepted, record = _ACCEPTED, _RECORD
    return [
        accepted(entry) + _OPEN if type(entry) is OrderAccepted else record(entry)
        for entry in stored.values()
    ]


def _clearing(state: VenueState) -> Iterator[bytes]:
    """The ledger (balances, every entry with its journal seq), positions, fees."""
    house, fast = state.house, _FAST.encode
    ledger = house.ledger
    yield fast([(str(a), b) for a, b in ledger.balances_micros().items()])
    yield fast(state.ledger_seqs)
    yield fast([(e.memo, [(str(p.account), p.amount) for p in e.postings]) for e in ledger.entries])
    book = house.book
    contracts = book.contracts()
    yield fast(
        [(a, c, p) for a in book.accounts() for c in contracts if (p := book.position(a, c))]
    )
    yield fast(state.fees.hash_rows())


def _views(state: VenueState) -> list[Any]:
    """The small parts (accounts, fixes, settlements, auctions …): maps and sets sorted."""
    house, audit = state.house, _SORTED.encode
    calls = {a: (c.amount, c.target, c.deadline) for a, c in house.calls.items()}
    fixes = {d: (f.level, f.status, f.seq, audit(f.audit)) for d, f in state.fixes.items()}
    revisions = {
        d: [(r.seq, r.revision, r.recorded_at) for r in kept]
        for d, kept in state.fix_revisions.items()
    }
    settlements = {
        s: [(v.day, v.price, v.price_ticks, v.kind, v.tier) for v in views]
        for s, views in state.settlements.items()
    }
    auctions = [
        (n, audit(auction_view(a).to_dict()), [(b.member, b.amount, b.submitted) for b in a.bids])
        for n, a in sorted(state.auctions.items())
    ]
    return [
        _items(house.marks),
        _items(calls),
        _items(house.clients),
        _items(state.accounts),
        _items(fixes),
        _items(revisions),
        sorted(house.expired),
        sorted(house.defaulted),
        sorted(house.members),
        audit(state.final_audits),
        _items(state.settlement_history),
        _items(settlements),
        _items(state.products),
        [audit(r.to_dict()) for r in state.eod_reports],
        state.auction_window_s,
        auctions,
        state.margin_method,
        _items(state.account_stp),
    ]


def _items(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return sorted(mapping.items())
