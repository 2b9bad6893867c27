"""Margin methods behind one interface: the paper's eq. 7, a SPAN-style scan, FHS VaR/ES."""

from tokenfutures.clearing.margin.base import MarginMethod, MarginRequirement, MarginResult
from tokenfutures.clearing.margin.builders import fhs_for, paper_for, span_for
from tokenfutures.clearing.margin.paper import PaperMargin
from tokenfutures.clearing.margin.span import SpanMargin, span_from_volatility
from tokenfutures.clearing.margin.var import HistoricalVarMargin

__all__ = [
    "HistoricalVarMargin",
    "MarginMethod",
    "MarginRequirement",
    "MarginResult",
    "PaperMargin",
    "SpanMargin",
    "fhs_for",
    "paper_for",
    "span_for",
    "span_from_volatility",
]
