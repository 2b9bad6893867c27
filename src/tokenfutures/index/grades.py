"""The SIT grade table: a versioned, generated artifact (route -> eligible, quality factor).

Derived from the capability scores and crosswalk by :func:`derive_grade_table` (command
``tokenfutures index grades``); shipped as ``data/sit_grades_v1.json`` so a fresh install can
fix the index from the embedded genai-prices data with no files and no network.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import (
    CapabilityBook,
    ScoreSnapshot,
    gate_timeline,
    ratio_factor,
)
from tokenfutures.index.methodology import Methodology

GRADES_VERSION = "sit-grades-v1"
PACKAGED_GRADES = "sit_grades_v1.json"


def derive_grade_table(book: CapabilityBook, methodology: Methodology) -> dict[str, Any]:
    """The grade of every crosswalked route after folding all snapshots through the gate."""
    timeline = gate_timeline(book, methodology)
    if not timeline:
        raise InvalidParameterError("book", "capabilities", "a snapshot containing the anchor")
    final = timeline[-1]
    routes: dict[str, dict[str, Any]] = {}
    for (provider, model), arena in sorted(book.by_route.items()):
        margin = final.margins.get(arena)
        if margin is None:
            continue
        routes[f"{provider}/{model}"] = {
            "arena_model": arena,
            "margin_elo": str(margin),
            "eligible": arena in final.eligible,
            "quality_factor": str(ratio_factor(margin, methodology)),
        }
    return {
        "version": GRADES_VERSION,
        "methodology_version": methodology.version,
        "anchor_model": methodology.anchor_model,
        "gate": {"enter": str(methodology.gate_enter), "exit": str(methodology.gate_exit)},
        "elo_scale": str(methodology.elo_scale),
        "snapshot_date": final.taken.isoformat(),
        "snapshots_folded": len(timeline),
        "routes": routes,
    }


def grade_table_text(table: dict[str, Any]) -> str:
    """The grade table as stable, sorted JSON text (the artifact's canonical form)."""
    return json.dumps(table, indent=1, sort_keys=True) + "\n"


def book_from_grades(table: dict[str, Any]) -> CapabilityBook:
    """A one-snapshot capability book (in force from any date) rebuilt from a grade table."""
    anchor = str(table["anchor_model"])
    margins: dict[str, Decimal] = {anchor: Decimal(0)}
    by_route: dict[tuple[str, str], str] = {}
    by_model: dict[str, str] = {}
    eligible: set[str] = set()
    for route, grade in table["routes"].items():
        provider, _, model = route.partition("/")
        arena = str(grade["arena_model"])
        margins[arena] = Decimal(grade["margin_elo"])
        by_route[(provider, model)] = arena
        by_model.setdefault(model, arena)
        if grade["eligible"]:
            eligible.add(arena)
    snapshot = ScoreSnapshot(date.min, GRADES_VERSION, margins)
    return CapabilityBook((snapshot,), {}, by_route, by_model, frozenset(eligible))


def packaged_grade_table() -> dict[str, Any]:
    """The grade table shipped with the package."""
    text = resources.files("tokenfutures.index.data").joinpath(PACKAGED_GRADES).read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table
