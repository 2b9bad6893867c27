"""Small hand-built inputs for the index tests (no real rows copied)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tokenfutures.index.capability import CapabilityBook, ScoreSnapshot
from tokenfutures.index.observations import PriceObservation

ANCHOR = "gpt-4-0125-preview"


def obs(
    provider: str, model: str, inp: str, out: str, day: date = date(2025, 1, 1)
) -> PriceObservation:
    """One synthetic observation."""
    return PriceObservation(day, provider, model, Decimal(inp), Decimal(out), None, "test")


def book(snapshots: list[tuple[date, dict[str, str]]], models: list[str]) -> CapabilityBook:
    """A capability book whose arena keys are the model ids themselves (anchor scored 1000)."""
    snaps = tuple(
        ScoreSnapshot(day, "test", {ANCHOR: Decimal(1000), **{k: Decimal(v) for k, v in s.items()}})
        for day, s in snapshots
    )
    return CapabilityBook(snaps, {}, {}, {m: m for m in models})


def tpi2_book(data: Path) -> CapabilityBook:
    """The real capability book with the tpi-2.0 benchmark grades (files in ``data``)."""
    from tokenfutures.index.methodology import methodology_named
    from tokenfutures.index.sources import read_capability_book
    from tokenfutures.index.sources.benchmark_csv import with_benchmark_grades

    scores, crosswalk = data / "model_capability_scores.csv", data / "model_capability_join.csv"
    book, _ = read_capability_book(scores, crosswalk)
    bench, join = data / "model_benchmark_scores.csv", data / "benchmark_model_join.csv"
    return with_benchmark_grades(book, bench, join, methodology_named("tpi-2.0"))
