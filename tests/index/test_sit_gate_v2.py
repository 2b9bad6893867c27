"""The tpi-2.0 SIT gate (Definition 5.1) on the real benchmark data: who is in, who is out."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tokenfutures.index.grades_v2 import (
    derive_grade_table_v2,
    grades_from_table,
    packaged_grade_table_v2,
)
from tokenfutures.index.sit_gate import BenchmarkBook, RouteGrade, grade_routes

from .helpers import tpi2_book

IN = [
    ("openai", "gpt-4-0125-preview"),  # the reference itself
    ("openai", "gpt-4-turbo-2024-04-09"),
    ("openai", "gpt-4o"),
    ("anthropic", "claude-3-5-sonnet"),
    ("google", "gemma-3-27b-it"),
    ("groq", "llama-3.3-70b-versatile"),
    ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
    ("deepseek", "deepseek-chat-v3-0324"),
]
OUT = [
    ("google", "gemma-3-4b-it"),  # 4B class: ECI 116 (arena alone admitted it)
    ("huggingface_together", "google/gemma-3n-E4B-it"),  # 4B class: GPQA Diamond 23.7 (chance)
    ("groq", "llama-3.1-8b-instant"),
    ("openai", "gpt-3.5-turbo"),
]


@pytest.fixture(scope="module")
def grades(shared_data: Path) -> dict[tuple[str, str], RouteGrade]:
    return dict(tpi2_book(shared_data).sit_grades)


@pytest.mark.parametrize("route", IN)
def test_gpt4_turbo_class_models_are_in(
    grades: dict[tuple[str, str], RouteGrade], route: tuple[str, str]
) -> None:
    assert grades[route].eligible, grades[route].basis


@pytest.mark.parametrize("route", OUT)
def test_small_models_are_out(
    grades: dict[tuple[str, str], RouteGrade], route: tuple[str, str]
) -> None:
    assert not grades[route].eligible, grades[route].basis


def test_borderline_cases_follow_the_eci_rule(grades: dict[tuple[str, str], RouteGrade]) -> None:
    mini = grades[("openai", "gpt-4o-mini")]  # ECI 126.56 vs 126.47: in, by 0.09
    assert mini.eligible
    assert mini.measure == "eci"
    assert mini.score - mini.reference < 1
    llama70 = next(g for g in grades.values() if g.model_key == "llama-3.1-70b-instruct")
    assert not llama70.eligible  # ECI 125.93: out by 0.54


def test_no_arena_only_verdict_admits_a_model_a_benchmark_rejects(
    grades: dict[tuple[str, str], RouteGrade],
) -> None:
    by_key: dict[str, set[bool]] = {}
    for g in grades.values():
        by_key.setdefault(g.model_key, set()).add(g.eligible)
    assert all(len(v) == 1 for v in by_key.values())  # one verdict per model
    arena = [g for g in grades.values() if g.measure == "lmarena"]
    assert arena
    assert all(not g.model_key.startswith("gemma-3-4b") for g in arena)


def test_reference_is_taken_inside_the_same_source() -> None:
    book = BenchmarkBook(
        scores={
            "gpt-4-0125-preview": {("mmlu", "a"): Decimal("85.4"), ("mmlu", "b"): Decimal(80)},
            "x": {("mmlu", "b"): Decimal(81)},  # above b's reference, below a's
            "y": {("mmlu", "a"): Decimal(84)},
        },
        routes={("p", "x"): "x", ("p", "y"): "y"},
    )
    graded = grade_routes(book, {})
    assert graded == {}  # no ECI anywhere: no quality scale, so not gradable
    book = BenchmarkBook(
        scores={
            **book.scores,
            **{
                f"e{i}": {("eci", "s"): Decimal(110 + i), ("mmlu", "a"): Decimal(60 + i)}
                for i in range(6)
            },
        },
        routes=book.routes,
    )
    graded = grade_routes(book, {})
    assert graded[("p", "x")].eligible
    assert graded[("p", "x")].reference == Decimal(80)
    assert not graded[("p", "y")].eligible
    assert graded[("p", "y")].reference == Decimal("85.4")


def test_packaged_v2_table_is_what_the_data_derives(
    grades: dict[tuple[str, str], RouteGrade],
) -> None:
    table = packaged_grade_table_v2()
    assert table == derive_grade_table_v2(grades)
    assert "Epoch AI" in table["credit"]
    assert grades_from_table(table) == {
        route: RouteGrade(
            g.model_key,
            g.eligible,
            float(f"{g.quality:.2f}"),
            g.measure,
            g.source,
            g.score,
            g.reference,
            g.imputed,
        )
        for route, g in grades.items()
    }
