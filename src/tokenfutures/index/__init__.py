"""Token Price Index (TPI): observations, SIT gate, quality adjustment, capped weights, fixing.

Public entry points: :func:`compute_fixing` (one pure fix), :func:`daily_history` (incremental
daily fixes) and :func:`level_series` ((date, Decimal level) pairs for settlement/calibration).
"""

from tokenfutures.index.audit import recompute_level
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import FixStatus, IndexFixing, compute_fixing
from tokenfutures.index.history import FixingLedger, chain_link, daily_history, level_series
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import PriceObservation, SourceProblem, SourceReport

__all__ = [
    "CapabilityBook",
    "FixStatus",
    "FixingLedger",
    "IndexFixing",
    "Methodology",
    "PriceObservation",
    "SourceProblem",
    "SourceReport",
    "chain_link",
    "compute_fixing",
    "daily_history",
    "level_series",
    "recompute_level",
]
