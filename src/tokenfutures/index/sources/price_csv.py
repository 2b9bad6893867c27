"""Reader of the documented price-history CSV (the format of ``llm_price_history.csv``).

Columns: ``date, provider, model, input_usd_per_mtok, output_usd_per_mtok,
cached_input_usd_per_mtok, source, source_ref``. Prices are USD per million tokens; ``date``
is the day the price took effect. Bad rows are reported with their line and left out.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.observations import PriceObservation, SourceProblem, SourceReport
from tokenfutures.index.sources.parsing import RowRejectedError, build_observation, parse_day

REQUIRED_COLUMNS = ("date", "provider", "model", "input_usd_per_mtok", "output_usd_per_mtok")
OPTIONAL_COLUMNS = ("cached_input_usd_per_mtok", "source", "source_ref")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DEFAULT_SOURCE = "csv"


def read_price_csv(path: Path) -> SourceReport:
    """Read a price-history CSV into observations plus a report of every row left out."""
    with path.open(newline="", encoding="utf-8") as handle:
        return parse_price_rows(csv.reader(handle), name=str(path))


def parse_price_rows(rows: object, name: str = "csv") -> SourceReport:
    """Parse CSV rows (first row = header); the pure part of :func:`read_price_csv`."""
    iterator = iter(rows)  # type: ignore[call-overload]
    header = next(iterator, None)
    if header is None:
        raise InvalidParameterError("csv", name, "a CSV with a header row (the file is empty)")
    columns = [c.strip() for c in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InvalidParameterError("csv", name, f"a CSV with the columns {missing}")
    problems = [
        SourceProblem(0, f"unknown column {c!r} ignored (header)")
        for c in columns
        if c not in KNOWN_COLUMNS
    ]
    index = {c: columns.index(c) for c in KNOWN_COLUMNS if c in columns}
    seen: dict[tuple[object, ...], tuple[int, PriceObservation]] = {}
    conflicted: set[tuple[object, ...]] = set()
    for line, row in enumerate(iterator, start=2):
        if not row or all(not cell.strip() for cell in row):
            problems.append(SourceProblem(line, "empty row"))
            continue
        try:
            observation = _row_to_observation(row, index, len(columns))
        except RowRejectedError as why:
            problems.append(SourceProblem(line, str(why), ",".join(row)))
            continue
        _keep_unless_duplicate(observation, line, seen, conflicted, problems)
    kept = [obs for key, (_, obs) in seen.items() if key not in conflicted]
    return SourceReport(
        source=name,
        observations=tuple(kept),
        problems=tuple(sorted(problems, key=lambda p: p.line)),
    )


def _row_to_observation(row: list[str], index: dict[str, int], width: int) -> PriceObservation:
    if len(row) != width:
        raise RowRejectedError(f"row has {len(row)} fields, header has {width}")

    def cell(name: str) -> str:
        return row[index[name]].strip() if name in index else ""

    return build_observation(
        effective=parse_day(cell("date")),
        provider=cell("provider"),
        model=cell("model"),
        prices=(
            cell("input_usd_per_mtok"),
            cell("output_usd_per_mtok"),
            cell("cached_input_usd_per_mtok"),
        ),
        source=cell("source") or DEFAULT_SOURCE,
        source_ref=cell("source_ref"),
    )


def _keep_unless_duplicate(
    observation: PriceObservation,
    line: int,
    seen: dict[tuple[object, ...], tuple[int, PriceObservation]],
    conflicted: set[tuple[object, ...]],
    problems: list[SourceProblem],
) -> None:
    key = (*observation.series, observation.effective)
    if key not in seen:
        seen[key] = (line, observation)
        return
    first_line, first = seen[key]
    same = (first.input, first.output, first.cached_input) == (
        observation.input,
        observation.output,
        observation.cached_input,
    )
    if same:
        problems.append(SourceProblem(line, f"identical duplicate of line {first_line}"))
        return
    if key not in conflicted:
        conflicted.add(key)
        problems.append(
            SourceProblem(first_line, "conflicting duplicate (same series and date, other prices)")
        )
    problems.append(
        SourceProblem(line, f"conflicting duplicate of line {first_line} (both left out)")
    )
