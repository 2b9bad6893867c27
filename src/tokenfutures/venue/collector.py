"""The runtime's collector policy (ADR 0611): CPython's cyclic collector around each batch.

Runtime policy, not domain: only the sequencer uses it. During a batch the collector is off
(one young collection per batch, not one per 700 objects); afterwards the survivors go to
the permanent generation (``gc.freeze``) so the long-lived state is not scanned again by
every young collection, and a thaw (``gc.unfreeze`` and a full collection) frees the cycles
that died meanwhile, at most every ``thaw_seconds`` and only once the frozen heap grew by
``growth`` since the last thaw (CPython's own rule for full collections).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds between thaws at most; None leaves the collector's generations alone.
GC_THAW_SECONDS: float | None = 10.0
#: Growth of the frozen heap (fraction) a thaw waits for.
GC_THAW_GROWTH = 0.25


class CollectorPolicy:
    """Off during a batch, survivors frozen after it, thawed by period and growth."""

    def __init__(self) -> None:
        self._thawed = time.monotonic()
        self._frozen_at_thaw = 0  # objects frozen just after the last thaw
        self._frozen_since_thaw = 0  # objects frozen since (an O(1) running count)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The collector off for the body; then freeze (or thaw) if it was on before."""
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            yield
        finally:
            if collecting:
                self.settle()
                gc.enable()

    def settle(self) -> None:
        """Freeze what survived the batch; thaw and collect when the period and growth allow.

        Growth is counted in O(1): the young generation's count just before each freeze (which
        resets it) is about the tracked objects added since the last freeze; a young collection
        between batches makes it an undercount, never more (``gc.get_freeze_count`` walks the
        whole list, so it runs only after a thaw).
        """
        thaw = GC_THAW_SECONDS
        if thaw is None:
            return
        self._frozen_since_thaw += gc.get_count()[0]
        now = time.monotonic()
        if (
            now - self._thawed >= thaw
            and self._frozen_since_thaw >= self._frozen_at_thaw * GC_THAW_GROWTH
        ):
            self._thawed = now
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._frozen_at_thaw = gc.get_freeze_count()  # O(n), after an O(n) collection
            self._frozen_since_thaw = 0
            return
        gc.freeze()


def release() -> None:
    """Give the frozen heap back to the collector (when the venue closes)."""
    gc.unfreeze()
