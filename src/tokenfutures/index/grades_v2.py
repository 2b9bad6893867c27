"""The tpi-2.0 SIT grade table: route -> benchmark verdict and ECI-scale quality (artifact).

Derived by ``tokenfutures index grades --methodology tpi-2.0`` from the benchmark scores and
crosswalk (Epoch AI data, CC BY 4.0, credited in the table); shipped as
``data/sit_grades_v2.json`` so a fresh install fixes tpi-2.0 from the embedded prices.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from typing import Any

from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.sit_gate import EPOCH_CREDIT, REFERENCE_KEYS, RouteGrade

GRADES_V2_VERSION = "sit-grades-v2"
PACKAGED_GRADES_V2 = "sit_grades_v2.json"


def derive_grade_table_v2(grades: Mapping[tuple[str, str], RouteGrade]) -> dict[str, Any]:
    """The graded routes as a stable JSON-ready table (with its data credit)."""
    return {
        "version": GRADES_V2_VERSION,
        "methodology_version": "tpi-2.0",
        "reference_models": list(REFERENCE_KEYS),
        "credit": EPOCH_CREDIT,
        "routes": {
            f"{provider}/{model}": {
                "model_key": g.model_key,
                "eligible": g.eligible,
                "quality": f"{g.quality:.2f}",
                "measure": g.measure,
                "source": g.source,
                "score": str(g.score),
                "reference": str(g.reference),
                "imputed": g.imputed,
            }
            for (provider, model), g in sorted(grades.items())
        },
    }


def grades_from_table(table: Mapping[str, Any]) -> dict[tuple[str, str], RouteGrade]:
    """Route grades rebuilt from a v2 grade table."""
    grades: dict[tuple[str, str], RouteGrade] = {}
    for route, g in table["routes"].items():
        provider, _, model = route.partition("/")
        grades[(provider, model)] = RouteGrade(
            str(g["model_key"]),
            bool(g["eligible"]),
            float(g["quality"]),
            str(g["measure"]),
            str(g["source"]),
            Decimal(g["score"]),
            Decimal(g["reference"]),
            bool(g["imputed"]),
        )
    return grades


def packaged_grade_table_v2() -> dict[str, Any]:
    """The v2 grade table shipped with the package."""
    text = (
        resources.files("tokenfutures.index.data").joinpath(PACKAGED_GRADES_V2).read_text("utf-8")
    )
    table: dict[str, Any] = json.loads(text)
    return table


def with_packaged_grades(book: CapabilityBook) -> CapabilityBook:
    """``book`` plus the packaged tpi-2.0 grades."""
    return replace(book, sit_grades=grades_from_table(packaged_grade_table_v2()))
