"""The index at the venue: TPI fixes ingested (journalled) and read back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue.commands import FixIndex
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.venue.views import FixingView, jsonable


class IndexService(Service):
    """Ingest TPI fixes (level, status, audit trail) and list the ingested ones."""

    def fix_index(
        self,
        day: date,
        level: Decimal | None,
        *,
        status: str = "fixed",
        audit: Any = None,
    ) -> FixingView:
        """Ingest the TPI fix of ``day`` (``audit``: any JSON-ready object or dataclass)."""
        if level is not None and level <= 0:
            raise InvalidParameterError("level", level, "> 0 or None (withheld)")
        text = json.dumps(jsonable(audit if audit is not None else {}), sort_keys=True)
        command = FixIndex(EPOCH, day, None if level is None else str(level), status, text)
        with self._lock:
            self._one(command)
            return self._state.fixes[day]

    def ingest_fixing(self, fixing: Any) -> FixingView:
        """Ingest an ``index.IndexFixing`` (level, status and audit trail)."""
        audit = {
            "methodology_version": fixing.methodology_version,
            "audit": fixing.audit,
            "sub_indices": fixing.sub_indices,
            "cheapest_to_deliver": fixing.cheapest_to_deliver,
            "fallback_from": fixing.fallback_from,
        }
        return self.fix_index(fixing.as_of, fixing.level, status=str(fixing.status), audit=audit)

    def index_fixings(self, start: date | None = None, end: date | None = None) -> list[FixingView]:
        """Ingested TPI fixes in ``[start, end]``, oldest first."""
        with self._lock:
            return [
                f
                for d, f in sorted(self._state.fixes.items())
                if (start is None or d >= start) and (end is None or d <= end)
            ]
