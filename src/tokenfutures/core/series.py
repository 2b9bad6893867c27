"""The name of the index series the listed contracts settle on (ADR 0236, ADR 0211).

One source of truth for two layers that may not import each other: the index publishes this
methodology by default, and calibration treats its presets as the settlement series'.
"""

from __future__ import annotations

#: The settlement index's methodology: ``index`` defaults to it, ``quant`` calibrates on it.
SETTLEMENT_METHODOLOGY = "tpi-2.0"
