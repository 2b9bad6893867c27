"""Contract symbols: product code + month code + two-digit year, e.g. ``SITZ26`` (SIT, Dec 2026)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tokenfutures.core.errors import InvalidParameterError

MONTH_CODES = "FGHJKMNQUVXZ"
"""CME month codes: F=Jan G=Feb H=Mar J=Apr K=May M=Jun N=Jul Q=Aug U=Sep V=Oct X=Nov Z=Dec."""

_SYMBOL = re.compile(r"^([A-Z]{2,5})([FGHJKMNQUVXZ])(\d{2})$")
CENTURY = 2000


@dataclass(frozen=True, slots=True, order=True)
class DeliveryMonth:
    """A calendar month in which a contract delivers (settles); ordered by time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidParameterError("month", self.month, "in 1..12")
        if not CENTURY <= self.year < CENTURY + 100:
            raise InvalidParameterError("year", self.year, f"in {CENTURY}..{CENTURY + 99}")

    @property
    def index(self) -> int:
        """Months since January of year 0: consecutive months have consecutive indices."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> DeliveryMonth:
        """The month with the given ``index`` (inverse of :attr:`index`)."""
        return cls(index // 12, index % 12 + 1)

    def shifted(self, months: int) -> DeliveryMonth:
        """This month moved by ``months`` (may be negative), across year boundaries."""
        return DeliveryMonth.from_index(self.index + months)


@dataclass(frozen=True, slots=True, order=True)
class ContractSymbol:
    """A listed contract: a product and its delivery month."""

    product: str
    delivery: DeliveryMonth

    def __str__(self) -> str:
        return format_symbol(self)


def format_symbol(symbol: ContractSymbol) -> str:
    """``SITZ26`` for SIT December 2026."""
    code = MONTH_CODES[symbol.delivery.month - 1]
    return f"{symbol.product}{code}{symbol.delivery.year % 100:02d}"


def parse_symbol(text: str) -> ContractSymbol:
    """Parse ``SITZ26`` (case-insensitive, surrounding blanks ignored); years map to 2000–2099."""
    match = _SYMBOL.match(text.strip().upper())
    if match is None:
        raise InvalidParameterError(
            "symbol",
            text,
            "PRODUCT + month code (one of F G H J K M N Q U V X Z) + 2-digit year, e.g. SITZ26",
        )
    product, code, year = match.groups()
    month = MONTH_CODES.index(code) + 1
    return ContractSymbol(product, DeliveryMonth(CENTURY + int(year), month))
