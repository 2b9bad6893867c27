"""Reader of capability scores (``model_capability_scores.csv``) and the crosswalk
(``model_capability_join.csv``) into a :class:`CapabilityBook`.

Scores CSV columns: ``model, score_name, score, date, source_repo``; one snapshot per
(date, source_repo). Crosswalk columns: ``source, provider, model, arena_model, ...``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook, ScoreSnapshot
from tokenfutures.index.observations import SourceProblem
from tokenfutures.index.sources.parsing import csv_rows

SCORE_NAME = "lmarena_text_score"


def read_capability_book(
    scores_csv: Path, crosswalk_csv: Path, score_name: str = SCORE_NAME
) -> tuple[CapabilityBook, tuple[SourceProblem, ...]]:
    """Read dated score snapshots and the route crosswalk; bad rows are reported, not fatal."""
    snapshots, problems = _read_snapshots(scores_csv, score_name)
    by_series, by_route, by_model, more = _read_crosswalk(crosswalk_csv)
    book = CapabilityBook(tuple(snapshots), by_series, by_route, by_model)
    return book, (*problems, *more)


def _read_snapshots(path: Path, score_name: str) -> tuple[list[ScoreSnapshot], list[SourceProblem]]:
    grouped: dict[tuple[date, str], dict[str, Decimal]] = defaultdict(dict)
    problems: list[SourceProblem] = []
    for line, row in csv_rows(path, ("model", "score_name", "score", "date")):
        if row["score_name"] != score_name:
            continue
        try:
            score = Decimal(row["score"])
            taken = date.fromisoformat(row["date"])
        except (InvalidOperation, ValueError):
            problems.append(SourceProblem(line, "bad score or date", str(row)))
            continue
        if not score.is_finite():
            problems.append(SourceProblem(line, "non-finite score", str(row)))
            continue
        grouped[(taken, row.get("source_repo") or "")][row["model"]] = score
    if not grouped:
        raise InvalidParameterError("scores_csv", str(path), f"rows with score_name {score_name}")
    return [
        ScoreSnapshot(d, label, scores) for (d, label), scores in sorted(grouped.items())
    ], problems


def _read_crosswalk(
    path: Path,
) -> tuple[
    dict[tuple[str, str, str], str], dict[tuple[str, str], str], dict[str, str], list[SourceProblem]
]:
    by_series: dict[tuple[str, str, str], str] = {}
    by_route: dict[tuple[str, str], str] = {}
    by_model: dict[str, str] = {}
    for _, row in csv_rows(path, ("source", "provider", "model", "arena_model")):
        arena = row["arena_model"].strip()
        if not arena:
            continue
        by_series[(row["source"], row["provider"], row["model"])] = arena
        by_route.setdefault((row["provider"], row["model"]), arena)
        by_model.setdefault(row["model"], arena)
    return by_series, by_route, by_model, []
