"""Shared checks for one price row: exact Decimal parsing and the reasons a row is refused."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.observations import PriceObservation


class RowRejectedError(ValueError):
    """A row cannot become an observation; the message is the reason reported."""


def parse_price(value: object, field: str, *, required: bool) -> Decimal | None:
    """Parse a non-negative finite price exactly (strings and ints; floats via ``repr``)."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if required:
            raise RowRejectedError(f"missing {field} price")
        return None
    if isinstance(value, bool):
        raise RowRejectedError(f"non-numeric {field} price {value!r}")
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise RowRejectedError(f"non-numeric {field} price {value!r}") from None
    if not price.is_finite():
        raise RowRejectedError(f"non-finite {field} price {value!r}")
    if price < 0:
        raise RowRejectedError(f"negative {field} price {value!r}")
    return price


def parse_day(value: object, field: str = "date") -> date:
    """Parse an ISO ``YYYY-MM-DD`` date (a longer timestamp keeps its date part)."""
    if not isinstance(value, str) or not value.strip():
        raise RowRejectedError(f"missing {field}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise RowRejectedError(f"bad {field} {value!r}") from None


def build_observation(
    *,
    effective: date,
    provider: object,
    model: object,
    prices: tuple[object, object, object],
    source: str,
    source_ref: str = "",
) -> PriceObservation:
    """Check and build one observation; raises :class:`RowRejectedError` with the reason."""
    if not isinstance(provider, str) or not provider.strip():
        raise RowRejectedError("missing provider")
    if not isinstance(model, str) or not model.strip():
        raise RowRejectedError("missing model")
    input_price = parse_price(prices[0], "input", required=True)
    output_price = parse_price(prices[1], "output", required=True)
    cached = parse_price(prices[2], "cached input", required=False)
    assert input_price is not None
    assert output_price is not None
    if input_price == 0 and output_price == 0:
        raise RowRejectedError("input and output both zero (free tier, not a price)")
    return PriceObservation(
        effective=effective,
        provider=provider.strip(),
        model=model.strip(),
        input=input_price,
        output=output_price,
        cached_input=cached,
        source=source,
        source_ref=source_ref,
    )


def csv_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV with their line numbers; a missing required column is an error."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidParameterError("csv", str(path), f"a CSV with the columns {missing}")
        return list(enumerate(reader, start=2))
