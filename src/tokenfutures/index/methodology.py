"""The declared, versioned index methodology: every number the fixing uses, in one frozen value.

Defaults are the ones documented in ``docs/concepts/index.md`` and the ADRs 0200-0299.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.series import SETTLEMENT_METHODOLOGY

Adjustment = Literal["ratio", "hedonic", "none"]
Weighting = Literal["equal", "shares"]
Method = Literal["time_dummy", "jevons", "geks"]

# Anchor of Definition 5.1: GPT-4-Turbo as of January 2024 (gpt-4-0125-preview, 2024-01-25).
SIT_ANCHOR_MODEL = "gpt-4-0125-preview"
METHODOLOGY_VERSION = "tpi-1.0"
TPI2_VERSION = "tpi-2.0"
VERSIONS = (METHODOLOGY_VERSION, TPI2_VERSION)
# The settlement index (ADR 0211, 0236): what the CLI and new callers select when naming none;
# named once in core.series so calibration (quant) follows the same series.
DEFAULT_METHODOLOGY: str = SETTLEMENT_METHODOLOGY
# Platforms that resell many hosts count as one provider (ADR 0213): (prefix, group).
PROVIDER_GROUPS = (("huggingface_", "huggingface"),)

OPEN_WEIGHT_PATTERNS = (
    r"llama",
    r"mixtral",
    r"mistral-(7b|small|nemo|medium-3-open)",
    r"ministral",
    r"devstral",
    r"magistral-small",
    r"codestral-mamba",
    r"qwen",
    r"qwq",
    r"deepseek",
    r"gemma",
    r"gpt-oss",
    r"phi-",
    r"kimi",
    r"glm",
    r"minimax",
    r"yi-",
    r"command-r",
    r"olmo",
    r"nemotron",
    r"hermes",
    r"dbrx",
    r"falcon",
    r"jamba",
    r"granite",
    r"athene",
    r"tulu",
    r"smollm",
)
# Proprietary members of otherwise open families (API-only models).
PROPRIETARY_PATTERNS = (r"qwen-(max|plus|turbo)", r"qwen[0-9.]*-max", r"glm-4-plus", r"ernie")


@dataclass(frozen=True, slots=True)
class Methodology:
    """Every parameter of a fixing; a fix is reproducible from its audit and this value.

    Prices are blended by a workload mix (default 3:1 input:output, cached-input weight 0),
    gated at the SIT anchor with hysteresis (Elo margins vs the anchor in one snapshot),
    quality-adjusted, weighted per provider (equal or declared shares) and capped.
    """

    version: str = METHODOLOGY_VERSION
    input_weight: Decimal = Decimal(3)
    output_weight: Decimal = Decimal(1)
    cached_input_weight: Decimal = Decimal(0)
    anchor_model: str = SIT_ANCHOR_MODEL
    gate_enter: Decimal = Decimal(0)
    gate_exit: Decimal = Decimal(-20)
    adjustment: Adjustment = "ratio"
    elo_scale: Decimal = Decimal(400)
    weighting: Weighting = "equal"
    shares: tuple[tuple[str, Decimal], ...] = ()
    provider_cap: Decimal = Decimal("0.30")
    min_providers: int = 4
    mad_k: Decimal = Decimal(3)
    mad_floor: Decimal = Decimal("0.10")
    screen_min_routes: int = 3
    excluded_providers: frozenset[str] = frozenset({"openrouter"})
    frontier_band: Decimal = Decimal(50)
    max_fallback_days: int = 5
    open_weight_patterns: tuple[str, ...] = OPEN_WEIGHT_PATTERNS
    proprietary_patterns: tuple[str, ...] = PROPRIETARY_PATTERNS
    # tpi-2.0 only (ADR 0211-0216); tpi-1.0 ignores them.
    method: Method = "time_dummy"
    window_days: int = 365
    settle_days: int = 21
    provider_groups: tuple[tuple[str, str], ...] = PROVIDER_GROUPS
    reference_quality: Decimal = Decimal("126.47")
    frontier_quality_band: Decimal = Decimal(5)
    _open_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _closed_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check(self)
        object.__setattr__(self, "_open_re", re.compile("|".join(self.open_weight_patterns)))
        object.__setattr__(self, "_closed_re", re.compile("|".join(self.proprietary_patterns)))

    @property
    def share_map(self) -> dict[str, Decimal]:
        """Declared volume shares per provider (empty unless ``weighting == 'shares'``)."""
        return dict(self.shares)

    def provider_group(self, provider: str) -> str:
        """The provider identity for weights and caps: a reselling platform is one provider."""
        for prefix, group in self.provider_groups:
            if provider.startswith(prefix):
                return group
        return provider

    def is_open_weight(self, model: str) -> bool:
        """Whether a model id (or arena key) names an open-weight model under the declared rule."""
        name = model.lower()
        return bool(self._open_re.search(name)) and not self._closed_re.search(name)

    def to_dict(self) -> dict[str, Any]:
        """The methodology as plain JSON-ready values (Decimals as strings)."""
        return {
            "version": self.version,
            "workload": {
                "input": str(self.input_weight),
                "output": str(self.output_weight),
                "cached_input": str(self.cached_input_weight),
            },
            "anchor_model": self.anchor_model,
            "gate": {"enter": str(self.gate_enter), "exit": str(self.gate_exit)},
            "adjustment": self.adjustment,
            "elo_scale": str(self.elo_scale),
            "weighting": self.weighting,
            "shares": {k: str(v) for k, v in self.shares},
            "provider_cap": str(self.provider_cap),
            "min_providers": self.min_providers,
            "screen": {
                "mad_k": str(self.mad_k),
                "mad_floor": str(self.mad_floor),
                "min_routes": self.screen_min_routes,
            },
            "excluded_providers": sorted(self.excluded_providers),
            "frontier_band": str(self.frontier_band),
            "max_fallback_days": self.max_fallback_days,
        } | (self._v2_dict() if self.version == TPI2_VERSION else {})

    def _v2_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "window_days": self.window_days,
            "settle_days": self.settle_days,
            "provider_groups": dict(self.provider_groups),
            "reference_quality": str(self.reference_quality),
            "frontier_quality_band": str(self.frontier_quality_band),
        }


def methodology_named(name: str, **overrides: Any) -> Methodology:
    """The registered methodology ``name`` (``tpi-1.0`` or ``tpi-2.0``) with optional overrides.

    One registry for every entry point (CLI, serve, history, audits), so a version is always
    selected by its name and an old audit can be recomputed under the version it names.
    """
    if name not in VERSIONS:
        raise InvalidParameterError("methodology", name, f"one of {', '.join(VERSIONS)}")
    return Methodology(version=name, **overrides)


def _check(m: Methodology) -> None:
    weights = (m.input_weight, m.output_weight, m.cached_input_weight)
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        raise InvalidParameterError("workload", weights, "non-negative weights with a positive sum")
    if m.gate_exit > m.gate_enter:
        raise InvalidParameterError("gate_exit", m.gate_exit, f"<= gate_enter ({m.gate_enter})")
    if not Decimal(0) < m.provider_cap <= 1:
        raise InvalidParameterError("provider_cap", m.provider_cap, "in (0, 1]")
    if m.min_providers < 1:
        raise InvalidParameterError("min_providers", m.min_providers, ">= 1")
    if m.elo_scale <= 0:
        raise InvalidParameterError("elo_scale", m.elo_scale, "> 0")
    if m.adjustment not in ("ratio", "hedonic", "none"):
        raise InvalidParameterError("adjustment", m.adjustment, "'ratio', 'hedonic' or 'none'")
    if m.weighting not in ("equal", "shares"):
        raise InvalidParameterError("weighting", m.weighting, "'equal' or 'shares'")
    if m.weighting == "shares" and not m.shares:
        raise InvalidParameterError("shares", m.shares, "declared when weighting='shares'")
    if any(v < 0 for _, v in m.shares):
        raise InvalidParameterError("shares", m.shares, "non-negative volumes")
    if m.mad_k <= 0 or m.mad_floor < 0:
        raise InvalidParameterError("mad_k", m.mad_k, "> 0 (and mad_floor >= 0)")
    if m.max_fallback_days < 0:
        raise InvalidParameterError("max_fallback_days", m.max_fallback_days, ">= 0")
    if m.method not in ("time_dummy", "jevons", "geks"):
        raise InvalidParameterError("method", m.method, "'time_dummy', 'jevons' or 'geks'")
    if m.window_days < 2:
        raise InvalidParameterError("window_days", m.window_days, ">= 2")
    if m.settle_days < 0:
        raise InvalidParameterError("settle_days", m.settle_days, ">= 0")
