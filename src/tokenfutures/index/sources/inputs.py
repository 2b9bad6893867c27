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
from tokenfutures.index.grades_v2 import with_packaged_grades
from tokenfutures.index.methodology import TPI2_VERSION, Methodology
from tokenfutures.index.observations import SourceReport, require_observations
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.index.registry import IndexInputs, Series, resolve_methodology
from tokenfutures.index.service import IndexService
from tokenfutures.index.sources.benchmark_csv import JOIN_NAME, with_benchmark_grades
from tokenfutures.index.sources.benchmark_csv import SCORES_NAME as BENCH_NAME
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
    methodology: Methodology | None = None,
) -> IndexInputs:
    """The inputs of a fix: ``prices`` or the bundled data (``source='genai-prices'``).

    ``prices`` is a price-history CSV, or an llm-prices JSON file when ``llm_prices`` is True
    (None: by the ``.json`` suffix). ``methodology`` decides the grades the capability book
    carries (tpi-2.0: benchmark grades, ADR 0212).
    """
    report = _prices(source, prices, llm_prices)
    book, book_name = capability_book(scores, crosswalk, prices, methodology)
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
        raise InvalidParameterError("source", source, f"{BUNDLED!r} or a --csv/--llm-prices file")
    return require_observations(read_genai_prices())


def capability_book(
    scores: Path | None,
    crosswalk: Path | None,
    beside: Path | None,
    methodology: Methodology | None = None,
) -> tuple[CapabilityBook, str]:
    """The capability book (scores and crosswalk given, beside the prices, else packaged)."""
    v2 = methodology is not None and methodology.version == TPI2_VERSION
    if scores is None and beside is not None and (beside.parent / SCORES_NAME).is_file():
        scores, crosswalk = beside.parent / SCORES_NAME, beside.parent / CROSSWALK_NAME
    if scores is None:
        book = book_from_grades(packaged_grade_table())
        return (with_packaged_grades(book) if v2 else book), "packaged SIT grade table"
    if crosswalk is None:
        raise InvalidParameterError("crosswalk", None, "given together with --scores")
    book, _ = read_capability_book(scores, crosswalk)
    name = f"{scores.name} + {crosswalk.name}"
    if not v2 or methodology is None:
        return book, name
    bench = scores.parent / BENCH_NAME
    if not bench.is_file():
        return with_packaged_grades(book), f"{name} + packaged SIT grade table"
    book = with_benchmark_grades(book, bench, scores.parent / JOIN_NAME, methodology)
    return book, f"{name} + {bench.name} + {JOIN_NAME}"


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
    method = resolve_methodology(methodology, adjustment)
    inputs = load_inputs(
        prices,
        source=source,
        llm_prices=llm_prices,
        scores=scores,
        crosswalk=crosswalk,
        methodology=method.methodology,
    )
    return IndexService(inputs, method, policy)
