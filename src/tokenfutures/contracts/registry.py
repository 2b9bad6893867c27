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

#: Every shipped spec file, by product and version (ADR 0300: a change of terms is a new file).
SHIPPED_SPECS: dict[str, dict[str, str]] = {
    "SIT": {"v1": "sit-v1.json", "v2": "sit-v2.json"},
    "SCU": {"v1": "scu-v1.json"},
}
#: The version each product lists by default (``serve``, the venue, ``contracts list``).
LISTED_VERSIONS: dict[str, str] = {"SIT": "v2", "SCU": "v1"}
#: The paper's own SIT contract (Xing 2026 §5.1: 1M SIT, $0.01 tick), kept for the reproduction.
PAPER_SIT_VERSION = "v1"


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


def spec_versions(product: str) -> tuple[str, ...]:
    """The shipped versions of ``product``, oldest first (e.g. ``('v1', 'v2')`` for SIT)."""
    return tuple(_versions(product))


def listed_version(product: str) -> str:
    """The version of ``product`` listed by default (ADR 0306: ``v2`` for SIT)."""
    _versions(product)
    return LISTED_VERSIONS[product.upper()]


def _versions(product: str) -> dict[str, str]:
    key = product.upper()
    if key not in SHIPPED_SPECS:
        raise InvalidParameterError("product", product, f"one of {', '.join(SHIPPED_SPECS)}")
    return SHIPPED_SPECS[key]


def product_spec(product: str, version: str | None = None) -> ContractSpec:
    """The shipped spec of ``product`` (e.g. ``'SIT'``): the listed version unless ``version``."""
    return _shipped(product.upper(), version or listed_version(product))


def paper_spec() -> ContractSpec:
    """The paper's SIT contract (1M SIT lot, $0.01 tick), as the reproduction uses it."""
    return _shipped("SIT", PAPER_SIT_VERSION)


@cache
def _shipped(product: str, version: str) -> ContractSpec:
    files = _versions(product)
    if version not in files:
        raise InvalidParameterError("version", version, f"one of {', '.join(files)}")
    name = files[version]
    resource = resources.files("tokenfutures.contracts").joinpath("specs", name)
    spec = load_spec_text(resource.read_text(encoding="utf-8"), source=name)
    if (spec.product, spec.version) != (product, version):
        raise SpecError(f"invalid contract spec {name}: not {product} {version}")
    return spec


def spec_for_symbol(symbol: ContractSymbol, version: str | None = None) -> ContractSpec:
    """The shipped spec of the product ``symbol`` belongs to (listed version unless ``version``)."""
    return product_spec(symbol.product, version)
