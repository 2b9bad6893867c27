"""The product specs shipped with the package (``contracts/specs/*.json``), loaded and validated.

Reading package data is the only I/O of this area; everything else is a pure function of a spec.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

from tokenfutures.contracts.spec import ContractSpec
from tokenfutures.contracts.spec_schema import SpecError, parse_spec
from tokenfutures.contracts.symbols import ContractSymbol
from tokenfutures.core.errors import InvalidParameterError

SHIPPED_SPECS: dict[str, str] = {"SIT": "sit-v1.json", "SCU": "scu-v1.json"}


def load_spec_file(path: Path) -> ContractSpec:
    """Load and validate a spec file from disk; errors name the file and the field."""
    text = path.read_text(encoding="utf-8")
    return load_spec_text(text, source=str(path))


def load_spec_text(text: str, source: str = "<spec>") -> ContractSpec:
    """Decode and validate a spec document given as JSON text."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as bad:
        raise SpecError(f"invalid contract spec {source}: not JSON ({bad})") from None
    return parse_spec(raw, source=source)


def known_products() -> tuple[str, ...]:
    """Product codes with a shipped spec, e.g. ``('SIT', 'SCU')``."""
    return tuple(SHIPPED_SPECS)


@cache
def product_spec(product: str) -> ContractSpec:
    """The current shipped spec of ``product`` (e.g. ``'SIT'``), validated once and cached."""
    key = product.upper()
    if key not in SHIPPED_SPECS:
        raise InvalidParameterError("product", product, f"one of {', '.join(SHIPPED_SPECS)}")
    resource = resources.files("tokenfutures.contracts").joinpath("specs", SHIPPED_SPECS[key])
    spec = load_spec_text(resource.read_text(encoding="utf-8"), source=SHIPPED_SPECS[key])
    if spec.product != key:
        raise SpecError(f"invalid contract spec {SHIPPED_SPECS[key]}: field 'product' is not {key}")
    return spec


def spec_for_symbol(symbol: ContractSymbol) -> ContractSpec:
    """The shipped spec of the product ``symbol`` belongs to."""
    return product_spec(symbol.product)
