"""Reader of the llm-prices JSON formats (simonw/llm-prices).

* ``current-v1.json``: ``{"updated_at": D, "prices": [{id, vendor, name, input, output,
  input_cached?}]}``; each price is taken as effective from ``updated_at``.
* ``historical-v1.json``: ``{"prices": [{..., "from_date", "to_date"}]}``, and the per-vendor
  files ``{"vendor", "models": [{"id", "price_history": [{input, output, from_date,
  to_date}]}]}``. A ``from_date`` of ``null`` means "from the start": ``undated_from`` is used.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.observations import PriceObservation, SourceProblem, SourceReport
from tokenfutures.index.sources.parsing import RowRejectedError, build_observation, parse_day

SOURCE = "llm-prices"
# llm-prices' first public snapshot: the declared start of a price with ``from_date: null``.
UNDATED_FROM = date(2024, 10, 16)
VENDOR_ALIASES = {"x-ai": "xai", "x": "xai", "moonshot-ai": "moonshotai", "amazon": "aws"}


def read_llm_prices_json(path: Path, undated_from: date = UNDATED_FROM) -> SourceReport:
    """Read any of the llm-prices JSON shapes into observations and a problem report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as bad:
        raise InvalidParameterError("llm_prices", str(path), f"valid JSON ({bad})") from None
    return parse_llm_prices(document, name=str(path), undated_from=undated_from)


def parse_llm_prices(document: Any, name: str, undated_from: date = UNDATED_FROM) -> SourceReport:
    """Pure part of :func:`read_llm_prices_json`: a decoded document to a report."""
    records = list(_flat_records(document, name))
    default_from = _updated_at(document, undated_from)
    observations: list[PriceObservation] = []
    problems: list[SourceProblem] = []
    for number, record in enumerate(records, start=1):
        try:
            observations.append(_observation(record, default_from))
        except RowRejectedError as why:
            problems.append(SourceProblem(number, str(why), json.dumps(record, default=str)))
    return SourceReport(name, tuple(observations), tuple(problems))


def _flat_records(document: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        raise InvalidParameterError("llm_prices", name, "a JSON object")
    if isinstance(document.get("prices"), list):
        return [r if isinstance(r, dict) else {"_bad": r} for r in document["prices"]]
    if isinstance(document.get("models"), list):
        vendor = document.get("vendor")
        flat: list[dict[str, Any]] = []
        for model in document["models"]:
            history = model.get("price_history") if isinstance(model, dict) else None
            if not isinstance(history, list):
                flat.append({"_bad": model, "vendor": vendor})
                continue
            for entry in history:
                flat.append({"vendor": vendor, "id": model.get("id"), **entry})
        return flat
    raise InvalidParameterError("llm_prices", name, "an object with 'prices' or 'models'")


def _updated_at(document: dict[str, Any], undated_from: date) -> date:
    stamp = document.get("updated_at")
    try:
        return parse_day(stamp) if stamp else undated_from
    except RowRejectedError:
        return undated_from


def _observation(record: dict[str, Any], default_from: date) -> PriceObservation:
    if "_bad" in record:
        raise RowRejectedError("not a price record")
    from_date = record.get("from_date")
    effective = parse_day(from_date, "from_date") if from_date else default_from
    vendor = record.get("vendor")
    vendor = VENDOR_ALIASES.get(vendor, vendor) if isinstance(vendor, str) else vendor
    return build_observation(
        effective=effective,
        provider=vendor,
        model=record.get("id"),
        prices=(record.get("input"), record.get("output"), record.get("input_cached")),
        source=SOURCE,
        source_ref=f"from_date={from_date}" if from_date else "",
    )
