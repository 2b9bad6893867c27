"""Read the index service's inputs: a price source, capability scores and delistings.

The one place that decides what a fix is computed from (ADR 0234): a price-history CSV or an
llm-prices JSON file with the scores, crosswalk and presence files found beside it, else the
genai-prices data bundled with the installed package and the packaged SIT grade table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.grades import book_from_grades, packaged_grade_table
from tokenfutures.index.observations import SourceReport, require_observations
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.index.registry import IndexInputs, Series, resolve_methodology
from tokenfutures.index.service import IndexService
from tokenfutures.index.sources.capability_csv import read_capability_book
from tokenfutures.index.sources.genai_prices_pkg import read_genai_prices
from tokenfutures.index.sources.llm_prices_json import read_llm_prices_json
from tokenfutures.index.sources.presence_csv import read_delistings
from tokenfutures.index.sources.price_csv import read_price_csv

SCORES_NAME = "model_capability_scores.csv"
CROSSWALK_NAME = "model_capability_join.csv"
PRESENCE_NAME = "llm_price_model_presence.csv"
BUNDLED = "genai-prices"


def load_inputs(
    prices: Path | None = None,
    *,
    source: str = BUNDLED,
    llm_prices: bool | None = None,
    scores: Path | None = None,
    crosswalk: Path | None = None,
) -> IndexInputs:
    """The inputs of a fix: ``prices`` or the bundled data (``source='genai-prices'``).

    ``prices`` is a price-history CSV, or an llm-prices JSON file when ``llm_prices`` is True
    (None: by the ``.json`` suffix).
    """
    report = _prices(source, prices, llm_prices)
    book, book_name = _capabilities(scores, crosswalk, prices)
    return IndexInputs(
        report.observations,
        book,
        _delistings(prices),
        price_source=str(prices) if prices is not None else report.source,
        capability_source=book_name,
        price_problems=len(report.problems),
    )


def _prices(source: str, prices: Path | None, llm_prices: bool | None) -> SourceReport:
    if prices is not None:
        if llm_prices or (llm_prices is None and prices.suffix.lower() == ".json"):
            return require_observations(read_llm_prices_json(prices))
        return require_observations(read_price_csv(prices))
    if source != BUNDLED:
        raise InvalidParameterError("source", source, f"{BUNDLED!r} or a price file")
    return require_observations(read_genai_prices())


def _capabilities(
    scores: Path | None, crosswalk: Path | None, beside: Path | None
) -> tuple[CapabilityBook, str]:
    if scores is None and beside is not None and (beside.parent / SCORES_NAME).is_file():
        scores, crosswalk = beside.parent / SCORES_NAME, beside.parent / CROSSWALK_NAME
    if scores is not None:
        if crosswalk is None:
            raise InvalidParameterError("crosswalk", None, "given together with --scores")
        book, _ = read_capability_book(scores, crosswalk)
        return book, f"{scores.name} + {crosswalk.name}"
    return book_from_grades(packaged_grade_table()), "packaged SIT grade table"


def _delistings(beside: Path | None) -> dict[Series, date]:
    """Delistings from the presence CSV beside a price file, when there is one."""
    if beside is None or not (beside.parent / PRESENCE_NAME).is_file():
        return {}
    delisted, _ = read_delistings(beside.parent / PRESENCE_NAME)
    return delisted


def open_index_service(
    prices: Path | None = None,
    *,
    source: str = BUNDLED,
    llm_prices: bool | None = None,
    scores: Path | None = None,
    crosswalk: Path | None = None,
    methodology: str | None = None,
    adjustment: str = "ratio",
    policy: PublicationPolicy | None = None,
) -> IndexService:
    """Read the inputs and return the index service of ``methodology`` over them."""
    inputs = load_inputs(
        prices, source=source, llm_prices=llm_prices, scores=scores, crosswalk=crosswalk
    )
    method = resolve_methodology(methodology, adjustment)  # type: ignore[arg-type]
    return IndexService(inputs, method, policy)
