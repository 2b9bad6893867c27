"""The sequencer's ledger mirror: cost per call before and after ``Ledger.entries`` (ADR 0623).

After each batch that posted to clearing's ledger, ``Sequencer.mirror_ledger`` stores the new
entries. It used to read them as ``ledger.journal[m:]``, and ``journal`` copies every entry
ever posted, so the mirror's cost grew with the ledger; it now slices the read-only view
``ledger.entries[m:]``, which copies only the new entries. Both are timed in this process on
the same sequencer (in-memory store), alternating, each mirroring ``NEW`` fresh entries, at
several ledger sizes: the "before" is the old method body verbatim. The last line is JSON.
"""

from __future__ import annotations

import json
import statistics
import time
from decimal import Decimal

from tokenfutures.clearing.ledger import collateral, external, transfer
from tokenfutures.core.clock import ManualClock
from tokenfutures.core.money import to_micros
from tokenfutures.storage.memory import InMemoryStore
from tokenfutures.venue.marketdata import MarketDataHub
from tokenfutures.venue.ports import LedgerEntry, Posting
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.state import VenueState

SIZES = (10_000, 100_000, 400_000)
NEW, ROUNDS = 4, 30


def _post(seq: Sequencer, count: int) -> None:
    """Post ``count`` deposits to clearing's ledger, as if a command at the next seq had."""
    state = seq.state
    for i in range(count):
        amount = Decimal(1 + i % 97)
        state.house.ledger.post(transfer(external("a"), collateral("a"), amount, "deposit"))
    state.ledger_seqs.extend([len(state.ledger_seqs) + 1] * count)


def mirror_before(seq: Sequencer) -> None:
    """``Sequencer.mirror_ledger`` as it was: ``ledger.journal`` copies the whole journal."""
    state = seq.state
    journal = state.house.ledger.journal
    fresh = [
        LedgerEntry(
            s,
            entry.memo[:64] or "entry",
            tuple(Posting(str(p.account), to_micros(p.amount)) for p in entry.postings),
        )
        for s, entry in zip(
            state.ledger_seqs[seq.ledger_mirrored :],
            journal[seq.ledger_mirrored :],
            strict=True,
        )
    ]
    if fresh:
        seq.store.ledger.post(fresh)
    seq.ledger_mirrored += len(fresh)


def _timed(fn: object, seq: Sequencer) -> float:
    _post(seq, NEW)
    t0 = time.perf_counter()
    fn(seq)  # type: ignore[operator]
    elapsed = time.perf_counter() - t0
    if seq.ledger_mirrored != len(seq.state.ledger_seqs):
        raise SystemExit("the mirror left entries behind")
    return elapsed


def measure(size: int) -> dict[str, float]:
    """Median seconds per mirror call, before and after, with ``size`` entries in the ledger."""
    seq = Sequencer(InMemoryStore(), ManualClock(), VenueState(), MarketDataHub())
    _post(seq, size)
    seq.mirror_ledger()  # catch up outside the timing
    before, after = [], []
    for _ in range(ROUNDS):
        before.append(_timed(mirror_before, seq))
        after.append(_timed(Sequencer.mirror_ledger, seq))
    b, a = statistics.median(before), statistics.median(after)
    return {"entries": size, "before_us": b * 1e6, "after_us": a * 1e6, "ratio": b / a}


def main() -> None:
    """Print the mirror's cost per call at each ledger size, then the JSON summary."""
    rows = [measure(size) for size in SIZES]
    for r in rows:
        print(
            f"{r['entries']:>7} entries: before {r['before_us']:9.1f} us, "
            f"after {r['after_us']:7.1f} us per mirror of {NEW} entries; "
            f"before/after {r['ratio']:.1f}"
        )
    print(
        json.dumps(
            {
                "benchmark": "clearing_ledger_mirror",
                "new_entries_per_call": NEW,
                "rounds": ROUNDS,
                "sizes": [
                    {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
                    for r in rows
                ],
                "ratio_before_to_after_at_largest": round(rows[-1]["ratio"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
