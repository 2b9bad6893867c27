"""Reader of ``llm_price_model_presence.csv``: the last day each delisted series was listed.

Columns: ``source, provider, model, first_seen, last_seen, listed_at_last_commit``. A series
with ``listed_at_last_commit = 0`` disappeared from its source after ``last_seen``; from the
next day on its price is no longer in force.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.observations import SourceProblem

Series = tuple[str, str, str]
COLUMNS = ("source", "provider", "model", "last_seen", "listed_at_last_commit")


def read_delistings(path: Path) -> tuple[dict[Series, date], tuple[SourceProblem, ...]]:
    """Map each delisted (source, provider, model) series to its last listed day."""
    delisted: dict[Series, date] = {}
    problems: list[SourceProblem] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidParameterError("presence_csv", str(path), f"the columns {missing}")
        for line, row in enumerate(reader, start=2):
            flag = (row["listed_at_last_commit"] or "").strip()
            if flag == "1":
                continue
            try:
                last = date.fromisoformat(row["last_seen"].strip())
            except ValueError:
                problems.append(SourceProblem(line, "bad last_seen date", str(row)))
                continue
            if flag != "0":
                problems.append(SourceProblem(line, f"bad listed_at_last_commit {flag!r}"))
                continue
            delisted[(row["source"], row["provider"], row["model"])] = last
    return delisted, tuple(problems)
