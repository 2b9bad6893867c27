"""Reader of ``model_benchmark_scores.csv`` and ``benchmark_model_join.csv`` (tpi-2.0 gate).

Scores: ``model_key, benchmark, score, source, ...`` (Epoch AI data is CC BY 4.0). Join:
``provider, model, arena_model, model_key, match_level``; only ``exact`` and ``alias``
matches are used (``family-guess`` is unverified, ADR 0212).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tokenfutures.index.capability import CapabilityBook, gate_timeline
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.observations import SourceProblem
from tokenfutures.index.sit_gate import TRUSTED_MATCHES, BenchmarkBook, grade_routes
from tokenfutures.index.sources.parsing import csv_rows

SCORES_NAME = "model_benchmark_scores.csv"
JOIN_NAME = "benchmark_model_join.csv"


def read_benchmark_book(
    scores_csv: Path, join_csv: Path
) -> tuple[BenchmarkBook, tuple[SourceProblem, ...]]:
    """Scores per model key and the route crosswalk; bad rows are reported, not fatal."""
    scores: dict[str, dict[tuple[str, str], Decimal]] = {}
    problems: list[SourceProblem] = []
    for line, row in csv_rows(scores_csv, ("model_key", "benchmark", "score", "source")):
        try:
            score = Decimal(row["score"])
        except InvalidOperation:
            problems.append(SourceProblem(line, "bad score", str(row)))
            continue
        if not score.is_finite():
            problems.append(SourceProblem(line, "non-finite score", str(row)))
            continue
        scores.setdefault(row["model_key"], {})[(row["benchmark"], row["source"])] = score
    routes: dict[tuple[str, str], str] = {}
    arena: dict[tuple[str, str], str] = {}
    by_arena: dict[str, str] = {}  # arena key -> model key, from trusted matches only
    for _, row in csv_rows(join_csv, ("provider", "model", "model_key", "match_level")):
        route = (row["provider"], row["model"])
        arena_key = (row.get("arena_model") or "").strip()
        if arena_key:
            arena[route] = arena_key
        if row["model_key"] and row["match_level"] in TRUSTED_MATCHES:
            routes[route] = row["model_key"]
            if arena_key:
                by_arena.setdefault(arena_key, row["model_key"])
    for route, arena_key in arena.items():
        # a route known only by its arena key takes the benchmarks of that arena model
        routes.setdefault(route, by_arena.get(arena_key, f"arena:{arena_key}"))
    return BenchmarkBook(scores, routes, arena), tuple(problems)


def with_benchmark_grades(
    book: CapabilityBook, scores_csv: Path, join_csv: Path, methodology: Methodology
) -> CapabilityBook:
    """``book`` plus the tpi-2.0 grades of every crosswalked route (arena fills gaps)."""
    benchmarks, _ = read_benchmark_book(scores_csv, join_csv)
    timeline = gate_timeline(book, methodology)
    margins = timeline[-1].margins if timeline else {}
    return replace(book, sit_grades=grade_routes(benchmarks, margins))
