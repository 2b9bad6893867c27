"""The embedded default source: the price data bundled in the installed ``genai-prices`` package.

Dated entries (``StartDateConstraint``) become observations effective at their start date;
an undated price is declared effective from ``UNDATED_FROM`` (the first commit of the
genai-prices data, 2025-06-21), the earliest date the data can vouch for. Tiered prices use the
base tier; time-of-day variants are left out (the standard rate is the undated one).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from tokenfutures.index.observations import PriceObservation, SourceProblem, SourceReport
from tokenfutures.index.sources.parsing import RowRejectedError, build_observation

SOURCE = "genai-prices"
UNDATED_FROM = date(2025, 6, 21)


def read_genai_prices(undated_from: date = UNDATED_FROM) -> SourceReport:
    """Read every provider/model price of the installed genai-prices package."""
    from genai_prices import data_snapshot

    snapshot = data_snapshot.get_snapshot()
    observations: list[PriceObservation] = []
    problems: list[SourceProblem] = []
    number = 0
    for provider in snapshot.providers:
        for model in provider.models:
            for effective, prices, note in _price_entries(model.prices, undated_from):
                number += 1
                label = f"{provider.id}/{model.id}"
                if note:
                    problems.append(SourceProblem(number, note, label))
                    continue
                try:
                    observations.append(_observation(provider.id, model.id, effective, prices))
                except RowRejectedError as why:
                    problems.append(SourceProblem(number, str(why), label))
    return SourceReport(SOURCE, tuple(observations), tuple(problems))


def _price_entries(prices: Any, undated_from: date) -> list[tuple[date, Any, str]]:
    if not isinstance(prices, list):
        return [(undated_from, prices, "")]
    entries: list[tuple[date, Any, str]] = []
    for conditional in prices:
        constraint = conditional.constraint
        if constraint is None:
            entries.append((undated_from, conditional.prices, ""))
        elif hasattr(constraint, "start_date"):
            entries.append((constraint.start_date, conditional.prices, ""))
        else:
            entries.append(
                (undated_from, None, "time-of-day variant left out (standard rate used)")
            )
    return entries


def _base(value: Any) -> Any:
    return value.base if hasattr(value, "base") else value


def _observation(provider: str, model: str, effective: date, prices: Any) -> PriceObservation:
    def field(name: str) -> Decimal | None:
        value = _base(getattr(prices, name, None))
        return value if isinstance(value, Decimal) else None

    return build_observation(
        effective=effective,
        provider=provider,
        model=model,
        prices=(field("input_mtok"), field("output_mtok"), field("cache_read_mtok")),
        source=SOURCE,
        source_ref=f"genai-prices=={_package_version()}",
    )


@cache
def _package_version() -> str:
    from importlib.metadata import version

    return version("genai-prices")
