"""Calibrated presets: dated, versioned parameter sets with their data window and fit result.

A preset is a record in ``tokenfutures/quant/data/calibrated_presets.json`` (written by
``tokenfutures calibrate --save-preset``, never by hand). Its model time starts at ``origin``
(the first date of its window), so a caller anchored in the calendar evaluates the model at
t = (day - origin) / 365 with X_t = ln(today's level); see :meth:`CalibratedPreset.year_of`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.series import SETTLEMENT_METHODOLOGY
from tokenfutures.quant.calibration.result import FitResult
from tokenfutures.quant.calibration.series import DAYS_PER_YEAR
from tokenfutures.quant.params import JumpDiffusionParams

PRESET_FORMAT = 1
PACKAGED_PRESETS = "calibrated_presets.json"
#: The series the listed contract settles on: the index's published default methodology
#: (core.series, ADR 0236); ``preset("calibrated")`` and the fair value use its latest preset.
SETTLEMENT_SERIES = SETTLEMENT_METHODOLOGY
#: Floor of kappa when a fit finds no mean reversion (JumpDiffusionParams needs kappa > 0).
KAPPA_FLOOR = 1e-6


@dataclass(frozen=True, slots=True)
class CalibratedPreset:
    """One calibrated parameter set: what was fitted, to which data, with what result."""

    name: str
    created: date
    series: str
    model: str
    origin: date
    window_to: date
    step_days: int
    fit: dict[str, Any]

    @property
    def estimates(self) -> dict[str, float]:
        """Point estimates by name."""
        return {k: float(v) for k, v in self.fit["estimates"].items()}

    @property
    def std_errors(self) -> dict[str, float | None]:
        """Observed-information standard errors by name (None: not available)."""
        return dict(self.fit["std_errors"])

    def year_of(self, day: date) -> float:
        """Model time of a calendar day: ACT/365 years since the origin."""
        return (day - self.origin).days / DAYS_PER_YEAR

    def params(self) -> JumpDiffusionParams:
        """The paper's parameter object (MRJD presets), X_0 at the origin, t = 0 at the origin."""
        if self.model != "mrjd":
            raise InvalidParameterError("preset", self.name, "an MRJD preset for the paper's model")
        e = self.estimates
        return JumpDiffusionParams(
            kappa=max(e["kappa"], KAPPA_FLOOR),
            theta0=e["theta0"],
            beta=e["beta"],
            sigma=e["sigma"],
            jump_intensity=e["jump_intensity"],
            jump_mean=e["jump_mean"],
            jump_std=e["jump_std"],
            season_amplitude=e["season_amplitude"],
            season_period=1.0,
            x0=float(self.fit["x0"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {
            "name": self.name,
            "created": self.created.isoformat(),
            "series": self.series,
            "model": self.model,
            "origin": self.origin.isoformat(),
            "window_to": self.window_to.isoformat(),
            "step_days": self.step_days,
            "fit": self.fit,
        }


def preset_from_fit(result: FitResult, series: str, created: date) -> CalibratedPreset:
    """A preset for a fit; its name is ``<series>-<model>-<last date>``."""
    return CalibratedPreset(
        name=f"{series}-{result.model}-{result.end.isoformat()}",
        created=created,
        series=series,
        model=result.model,
        origin=result.start,
        window_to=result.end,
        step_days=result.step_days,
        fit=result.to_dict(),
    )


def preset_from_dict(record: dict[str, Any]) -> CalibratedPreset:
    """Parse one record of the presets file."""
    try:
        return CalibratedPreset(
            name=str(record["name"]),
            created=date.fromisoformat(record["created"]),
            series=str(record["series"]),
            model=str(record["model"]),
            origin=date.fromisoformat(record["origin"]),
            window_to=date.fromisoformat(record["window_to"]),
            step_days=int(record["step_days"]),
            fit=dict(record["fit"]),
        )
    except (KeyError, TypeError, ValueError) as bad:
        raise InvalidParameterError(
            "preset record", record.get("name"), f"complete ({bad})"
        ) from None


def presets_from_text(text: str) -> list[CalibratedPreset]:
    """Parse a presets file (format 1)."""
    doc = json.loads(text)
    if doc.get("format") != PRESET_FORMAT:
        raise InvalidParameterError("presets format", doc.get("format"), f"{PRESET_FORMAT}")
    return [preset_from_dict(r) for r in doc["presets"]]


def presets_text(presets: list[CalibratedPreset]) -> str:
    """Serialise presets (sorted by series, model, window end) as the presets file."""
    ordered = sorted(presets, key=lambda p: (p.series, p.model, p.window_to, p.created))
    doc = {"format": PRESET_FORMAT, "presets": [p.to_dict() for p in ordered]}
    return json.dumps(doc, indent=1, sort_keys=True, allow_nan=False) + "\n"


def merge_presets(old: list[CalibratedPreset], new: CalibratedPreset) -> list[CalibratedPreset]:
    """``old`` with ``new`` added, replacing a preset of the same name."""
    return [p for p in old if p.name != new.name] + [new]


def packaged_presets() -> list[CalibratedPreset]:
    """The presets shipped with the package (empty when none has been written)."""
    source = resources.files("tokenfutures.quant.data").joinpath(PACKAGED_PRESETS)
    if not source.is_file():
        return []
    return presets_from_text(source.read_text("utf-8"))


def latest_preset(
    series: str = SETTLEMENT_SERIES,
    model: str = "mrjd",
    presets: list[CalibratedPreset] | None = None,
) -> CalibratedPreset:
    """The preset of ``model`` on the series whose name starts with ``series``, latest window."""
    pool = packaged_presets() if presets is None else presets
    matching = [p for p in pool if p.model == model and p.series.startswith(series)]
    if not matching:
        raise InvalidParameterError(
            "preset",
            f"{series}/{model}",
            "a calibrated preset (run `tokenfutures calibrate --save-preset`)",
        )
    return max(matching, key=lambda p: (p.window_to, p.created, p.step_days == 1))
