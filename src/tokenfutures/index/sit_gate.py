"""The tpi-2.0 SIT gate (paper Definition 5.1): GPT-4-Turbo (Jan 2024) on mainstream benchmarks.

A model is SIT-class when its first available measure, in the order of :data:`MEASURES`,
is at least the GPT-4-Turbo reference *in the same source* (ADR 0212). The Epoch
Capabilities Index (ECI) comes first; GPQA Diamond, MMLU-Pro and MMLU follow; LMArena fills
gaps where no benchmark exists. Each graded route also gets a quality on the ECI scale (ECI,
or the measure mapped to ECI by a least-squares line over models scored on both), which
the hedonic regression of tpi-2.0 uses. Benchmark data: Epoch AI (CC BY 4.0) and others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

# Reference models of Definition 5.1, most faithful first: the Jan-2024 snapshot, then the
# April-2024 GPT-4-Turbo snapshot where a source scored only that one.
REFERENCE_KEYS = ("gpt-4-0125-preview", "gpt-4-turbo-2024-04-09")
EPOCH_ECI = "epoch-ai-eci-2026-10"
EPOCH_HUB = "epoch-ai-benchmarking-hub-2026-04"
# (benchmark, preferred sources in order; any other source after them)
MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("eci", (EPOCH_ECI, EPOCH_HUB)),
    ("gpqa_diamond", (EPOCH_HUB, EPOCH_ECI, "openai-simple-evals")),
    ("mmlu_pro", ("tiger-lab-mmlu-pro-readme",)),
    ("mmlu", ("openai-simple-evals", EPOCH_HUB)),
)
ARENA = "lmarena"
TRUSTED_MATCHES = frozenset({"exact", "alias"})
EPOCH_CREDIT = (
    "Benchmark data: Epoch AI, 'AI Benchmarking Hub' / 'Epoch Capabilities Index', "
    "https://epoch.ai/benchmarks (CC BY 4.0), with openai/simple-evals, EvalPlus, TIGER-Lab "
    "MMLU-Pro and vendor model cards; LMArena scores where no benchmark exists."
)


@dataclass(frozen=True, slots=True)
class BenchmarkBook:
    """Benchmark scores per model key and the crosswalk from priced routes to model keys."""

    scores: Mapping[str, Mapping[tuple[str, str], Decimal]]
    routes: Mapping[tuple[str, str], str]
    arena: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RouteGrade:
    """A route's SIT verdict, its quality on the ECI scale and the evidence behind both."""

    model_key: str
    eligible: bool
    quality: float
    measure: str
    source: str
    score: Decimal
    reference: Decimal
    imputed: bool

    @property
    def basis(self) -> str:
        """One line of evidence, e.g. ``eci 130 >= 126.47 (epoch-ai-eci-2026-10)``."""
        verdict = ">=" if self.eligible else "<"
        how = f"; quality {self.quality:.2f} (ECI scale, imputed)" if self.imputed else ""
        return f"{self.measure} {self.score} {verdict} {self.reference} ({self.source}){how}"


def _first_score(
    scores: Mapping[tuple[str, str], Decimal], benchmark: str, preferred: tuple[str, ...]
) -> tuple[str, Decimal] | None:
    for source in preferred:
        if (benchmark, source) in scores:
            return source, scores[(benchmark, source)]
    others = sorted(s for b, s in scores if b == benchmark and s not in preferred)
    return (others[0], scores[(benchmark, others[0])]) if others else None


def reference_score(
    book: BenchmarkBook, benchmark: str, source: str, preferred: tuple[str, ...]
) -> tuple[Decimal, str] | None:
    """GPT-4-Turbo's score in ``source``; else in the first preferred source that has one."""
    for src in (source, *preferred):
        for key in REFERENCE_KEYS:
            value = book.scores.get(key, {}).get((benchmark, src))
            if value is not None:
                return value, src
    return None


def grade_routes(
    book: BenchmarkBook, arena_margins: Mapping[str, Decimal]
) -> dict[tuple[str, str], RouteGrade]:
    """Grade every crosswalked route; ``arena_margins`` are Elo margins over the anchor."""
    raw: dict[tuple[str, str], tuple[str, str, str, Decimal, Decimal]] = {}
    for route, key in book.routes.items():
        verdict = _measure(book, key)
        if verdict is None and route in book.arena and book.arena[route] in arena_margins:
            verdict = (ARENA, "snapshot in force", arena_margins[book.arena[route]], Decimal(0))
        if verdict is not None:
            raw[route] = (key, *verdict)
    lines = _eci_lines(book, arena_margins)
    grades: dict[tuple[str, str], RouteGrade] = {}
    for route, (key, measure, source, score, reference) in raw.items():
        if measure == "eci":
            quality, imputed = float(score), False
        elif measure in lines:
            slope, intercept = lines[measure]
            quality, imputed = slope * float(score) + intercept, True
        else:
            continue
        grades[route] = RouteGrade(
            key, score >= reference, round(quality, 2), measure, source, score, reference, imputed
        )
    return grades


def _measure(book: BenchmarkBook, key: str) -> tuple[str, str, Decimal, Decimal] | None:
    scores = book.scores.get(key, {})
    for benchmark, preferred in MEASURES:
        found = _first_score(scores, benchmark, preferred)
        if found is None:
            continue
        source, score = found
        ref = reference_score(book, benchmark, source, preferred)
        if ref is not None:
            return benchmark, source, score, ref[0]
    return None


def _eci_lines(
    book: BenchmarkBook, arena_margins: Mapping[str, Decimal]
) -> dict[str, tuple[float, float]]:
    """Least-squares lines ECI = a * x + b for each other measure, over models with both."""
    eci: dict[str, float] = {}
    for key, scores in book.scores.items():
        found = _first_score(scores, "eci", MEASURES[0][1])
        if found is not None:
            eci[key] = float(found[1])
    points: dict[str, dict[str, float]] = {}
    for benchmark, preferred in MEASURES[1:]:
        for key, scores in book.scores.items():
            found = _first_score(scores, benchmark, preferred)
            if found is not None and key in eci:
                points.setdefault(benchmark, {})[key] = float(found[1])
    for route, key in book.routes.items():
        margin = arena_margins.get(book.arena.get(route, ""))
        if margin is not None and key in eci:
            points.setdefault(ARENA, {})[key] = float(margin)
    lines: dict[str, tuple[float, float]] = {}
    for measure, xs in points.items():
        if len(xs) >= 5:
            x = np.array(list(xs.values()))
            y = np.array([eci[k] for k in xs])
            slope, intercept = np.polyfit(x, y, 1)
            lines[measure] = (float(slope), float(intercept))
    return lines
