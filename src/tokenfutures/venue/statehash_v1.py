"""Version 1 of the venue's state hash (ADR 0615), frozen: snapshots stored by earlier builds.

One SHA-256 over a sorted JSON document of everything recovery restores. Builds before ADR
0631 stored this hash (bare hex) with every snapshot; recovery recomputes it for those, so
this formula must never change. New snapshots use version 2 (``venue.statehash``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tokenfutures.exchange import state_hash as exchange_hash
from tokenfutures.venue.auctions import auction_view
from tokenfutures.venue.state import VenueState


def _ledger_rows(state: VenueState) -> list[Any]:
    """Every ledger entry in posting order: its journal seq, memo and postings (exact)."""
    journal = state.house.ledger.journal
    seqs = state.ledger_seqs
    return [
        [seqs[i] if i < len(seqs) else None, entry.memo]
        + [[str(p.account), str(p.amount)] for p in entry.postings]
        for i, entry in enumerate(journal)
    ]


def state_hash_v1(state: VenueState) -> str:
    """SHA-256 over the engine, clearing (ledger history included), accounts, orders and views."""
    house = state.house
    canonical = [
        state.seq,
        exchange_hash(state.exchange),
        sorted([str(a), b] for a, b in house.ledger.balances_micros().items()),
        _ledger_rows(state),
        len(state.ledger_seqs),
        sorted(
            [a, c, house.book.position(a, c)]
            for a in house.book.accounts()
            for c in house.book.contracts()
            if house.book.position(a, c)
        ),
        sorted(house.marks.items()),
        sorted(house.expired),
        sorted(house.defaulted),
        sorted(
            [a, str(c.amount), str(c.target), c.deadline.isoformat()]
            for a, c in house.calls.items()
        ),
        sorted(house.members),
        sorted(house.clients.items()),
        sorted((a, m or "") for a, m in state.accounts.items()),
        state.orders.hash_rows(),
        sorted([k[0], k[1], a[0], a[4], a[5] or ""] for k, a in state.acks.items()),
        sorted(
            [d.isoformat(), str(f.level), f.status, f.seq, json.dumps(f.audit, sort_keys=True)]
            for d, f in state.fixes.items()
        ),
        sorted(
            [d.isoformat(), [[r.seq, r.revision, str(r.recorded_at)] for r in revisions]]
            for d, revisions in state.fix_revisions.items()
        ),
        sorted([s, json.dumps(a, sort_keys=True)] for s, a in state.final_audits.items()),
        sorted(state.settlement_history.items()),
        sorted(
            [s, [[v.day.isoformat(), str(v.price), v.price_ticks, v.kind, v.tier] for v in views]]
            for s, views in state.settlements.items()
        ),
        sorted(state.products.items()),
        sorted([s, [list(t) for t in kept]] for s, kept in state.trades.items()),
        [json.dumps(r.to_dict(), sort_keys=True, default=str) for r in state.eod_reports],
        state.fees.hash_rows(),
        state.auction_window_s,
        [
            [
                json.dumps(auction_view(a).to_dict(), sort_keys=True, default=str),
                [[b.member, str(b.amount), b.submitted.isoformat()] for b in a.bids],
            ]
            for _, a in sorted(state.auctions.items())
        ],
        state.margin_method,
        sorted(state.account_stp.items()),
    ]
    text = json.dumps(canonical, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
