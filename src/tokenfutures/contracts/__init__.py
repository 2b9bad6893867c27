"""Futures contract specs (SIT, SCU) as versioned data, symbols, listing calendar, final settlement.

Depends on ``core`` only. The exchange and clearing areas read a spec through plain accessors:
``tick_size``, ``lot_multiplier``, ``price_limit_fractions()``, ``price_limit_band()``,
``initial_margin_fraction_range()``, ``maintenance_fraction_of_initial()``,
``daily_settlement_time()``, and ``last_trading_day(spec, symbol)``.
"""

from tokenfutures.contracts.calendar import (
    business_days,
    first_trading_day,
    front_month,
    is_business_day,
    is_listed,
    last_trading_day,
    listed_contracts,
    listing_date,
    trading_contracts,
    trading_day_of,
)
from tokenfutures.contracts.registry import (
    known_products,
    listed_version,
    load_spec_file,
    load_spec_text,
    paper_spec,
    product_spec,
    spec_for_symbol,
    spec_versions,
)
from tokenfutures.contracts.settlement import (
    FinalSettlement,
    FixSource,
    InsufficientFixesError,
    WindowFix,
    final_settlement_price,
    settlement_window,
)
from tokenfutures.contracts.spec import ContractSpec, HaltKind, PriceLimitTier
from tokenfutures.contracts.spec_schema import SpecError, parse_spec
from tokenfutures.contracts.symbols import (
    MONTH_CODES,
    ContractSymbol,
    DeliveryMonth,
    format_symbol,
    parse_symbol,
)

__all__ = [
    "MONTH_CODES",
    "ContractSpec",
    "ContractSymbol",
    "DeliveryMonth",
    "FinalSettlement",
    "FixSource",
    "HaltKind",
    "InsufficientFixesError",
    "PriceLimitTier",
    "SpecError",
    "WindowFix",
    "business_days",
    "final_settlement_price",
    "first_trading_day",
    "format_symbol",
    "front_month",
    "is_business_day",
    "is_listed",
    "known_products",
    "last_trading_day",
    "listed_contracts",
    "listed_version",
    "listing_date",
    "load_spec_file",
    "load_spec_text",
    "paper_spec",
    "parse_spec",
    "parse_symbol",
    "product_spec",
    "settlement_window",
    "spec_for_symbol",
    "spec_versions",
    "trading_contracts",
    "trading_day_of",
]
