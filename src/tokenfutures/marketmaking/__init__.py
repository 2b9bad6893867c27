"""Market making: program obligations and compliance measurement (pure), model fair values,
pure quote computation, and the reference quoting bot that trades through the client."""

from tokenfutures.marketmaking.compliance import (
    ComplianceReport,
    QuoteSample,
    measure_compliance,
    qualifies,
)
from tokenfutures.marketmaking.fair_value import (
    PAPER_ORIGIN,
    CalendarModel,
    contract_fair_values,
    model_curve,
    window_fair_value,
    year_fraction,
)
from tokenfutures.marketmaking.obligations import PAPER_OBLIGATIONS, Obligations, max_spread_ticks
from tokenfutures.marketmaking.quoting import Quote, QuotingPolicy, compute_quote

__all__ = [
    "PAPER_OBLIGATIONS",
    "PAPER_ORIGIN",
    "CalendarModel",
    "ComplianceReport",
    "Obligations",
    "Quote",
    "QuoteSample",
    "QuotingPolicy",
    "compute_quote",
    "contract_fair_values",
    "max_spread_ticks",
    "measure_compliance",
    "model_curve",
    "qualifies",
    "window_fair_value",
    "year_fraction",
]
