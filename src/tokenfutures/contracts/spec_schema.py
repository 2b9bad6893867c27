"""The spec-file schema (pydantic, at the edge) and its conversion into a frozen ``ContractSpec``.

Decimals must be written as JSON strings so no binary float ever enters a price or a fraction.
Unknown fields are refused so a typo in a spec file is an error, not a silent default.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from tokenfutures.contracts.spec import (
    ContractSpec,
    FinalSettlementRule,
    FixDays,
    HaltKind,
    HolidayRule,
    LastTradingDayRule,
    ListingRule,
    MarginParams,
    PriceLimitTier,
    Session,
)
from tokenfutures.core.errors import TokenFuturesError

SCHEMA_VERSION = 1
_PRODUCT_CODE = re.compile(r"^[A-Z]{2,5}$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class SpecError(TokenFuturesError, ValueError):
    """A spec file is invalid; the message names the file and the offending field."""


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('write decimals as JSON strings (e.g. "0.01"), not floats')
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_no_float)]
Fraction = Annotated[ExactDecimal, Field(gt=0, lt=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListingModel(_Strict):
    """How many monthly and quarterly delivery months are listed at once."""

    consecutive_months: int = Field(ge=1, le=36)
    quarterly_months: int = Field(ge=0, le=12)
    quarter_cycle: list[int] = Field(default=[3, 6, 9, 12], min_length=1)

    @model_validator(mode="after")
    def _cycle_is_months(self) -> ListingModel:
        if any(not 1 <= m <= 12 for m in self.quarter_cycle):
            raise ValueError("quarter_cycle must hold month numbers 1..12")
        if len(set(self.quarter_cycle)) != len(self.quarter_cycle):
            raise ValueError("quarter_cycle must not repeat a month")
        return self


class SessionModel(_Strict):
    """Daily session in UTC; the settlement price is struck at the close."""

    time_zone: Literal["UTC"]
    trading_weekdays: list[int] = Field(min_length=1)
    open: time
    close: time
    settlement_window_seconds: int = Field(gt=0, le=3600)

    @model_validator(mode="after")
    def _weekdays_valid(self) -> SessionModel:
        if any(not 0 <= d <= 6 for d in self.trading_weekdays):
            raise ValueError("trading_weekdays must hold ISO weekdays 0 (Mon)..6 (Sun)")
        return self


class HolidaysModel(_Strict):
    """Fixed ``MM-DD`` holidays every year plus explicit extra closure dates."""

    fixed: list[str] = Field(default_factory=list)
    extra: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fixed_are_month_days(self) -> HolidaysModel:
        for text in self.fixed:
            match = _MONTH_DAY.match(text)
            if match is None or not _valid_month_day(int(match[1]), int(match[2])):
                raise ValueError(f"fixed holiday {text!r} is not a valid MM-DD")
        return self


def _valid_month_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        return False
    return True


class LastTradingDayModel(_Strict):
    """The nth weekday of the delivery month, moved back over holidays."""

    rule: Literal["nth_weekday_of_delivery_month"]
    weekday: int = Field(ge=0, le=6)
    nth: int = Field(ge=1, le=4)
    holiday_shift: Literal["preceding_business_day"]


class FinalSettlementModel(_Strict):
    """Mean of daily index fixes over the delivery month up to the last trading day."""

    method: Literal["mean_of_daily_index_fixes"]
    window: Literal["delivery_month_to_last_trading_day"]
    fix_days: Literal["business", "calendar"]
    min_observed_fraction: Fraction
    missing_fix: Literal["carry_forward"]
    max_carry_forward_days: int = Field(ge=0, le=31)
    rounding: Literal["half_even_to_tick"]


class PriceLimitModel(_Strict):
    """One price-limit tier."""

    fraction: Fraction
    halt: Literal["minutes", "until_next_session"]
    halt_minutes: int | None = Field(default=None, gt=0, le=240)

    @model_validator(mode="after")
    def _minutes_iff_timed(self) -> PriceLimitModel:
        if (self.halt == "minutes") != (self.halt_minutes is not None):
            raise ValueError("halt_minutes is required exactly when halt is 'minutes'")
        return self


class MarginModel(_Strict):
    """Paper §5.3: initial margin corridor, maintenance ratio, eq. 7 coverage and window."""

    initial_fraction_min: Fraction
    initial_fraction_max: Fraction
    maintenance_ratio: Annotated[ExactDecimal, Field(gt=0, le=1)]
    coverage_alpha: Annotated[ExactDecimal, Field(gt=0)]
    volatility_window_days: int = Field(ge=2, le=260)

    @model_validator(mode="after")
    def _ordered(self) -> MarginModel:
        if self.initial_fraction_min > self.initial_fraction_max:
            raise ValueError("initial_fraction_min must not exceed initial_fraction_max")
        return self


class SpecModel(_Strict):
    """The whole spec file."""

    schema_version: Literal[1]
    product: str
    version: str = Field(pattern=r"^v\d+$")
    name: str = Field(min_length=1)
    underlying: str = Field(min_length=1)
    lot_size: int = Field(gt=0)
    lot_unit: str = Field(min_length=1)
    quote_unit_size: int = Field(gt=0)
    quote_unit: str = Field(min_length=1)
    currency: Literal["USD"]
    tick_size: Annotated[ExactDecimal, Field(gt=0)]
    listing: ListingModel
    session: SessionModel
    holidays: HolidaysModel
    last_trading_day: LastTradingDayModel
    final_settlement: FinalSettlementModel
    price_limits: list[PriceLimitModel] = Field(min_length=1)
    margin: MarginModel

    @model_validator(mode="after")
    def _consistent(self) -> SpecModel:
        if not _PRODUCT_CODE.match(self.product):
            raise ValueError("product must be 2-5 capital letters (e.g. 'SIT')")
        if self.lot_size % self.quote_unit_size:
            raise ValueError("lot_size must be a whole multiple of quote_unit_size")
        fractions = [tier.fraction for tier in self.price_limits]
        if fractions != sorted(set(fractions)):
            raise ValueError("price_limits fractions must be strictly increasing")
        if self.price_limits[-1].halt != "until_next_session":
            raise ValueError("the last price_limits tier must halt until_next_session")
        return self


def _error_lines(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(root)"
        lines.append(f"field '{where}': {item['msg']}")
    return "; ".join(lines)


def parse_spec(raw: Any, source: str = "<spec>") -> ContractSpec:
    """Validate a decoded spec document and return the frozen spec; errors name the field.

    Parameters
    ----------
    raw : Any
        The decoded JSON document.
    source : str
        Where it came from, for error messages.
    """
    try:
        model = SpecModel.model_validate(raw)
    except ValidationError as bad:
        raise SpecError(f"invalid contract spec {source}: {_error_lines(bad)}") from None
    return _to_spec(model)


def _to_spec(model: SpecModel) -> ContractSpec:
    return ContractSpec(
        product=model.product,
        version=model.version,
        name=model.name,
        underlying=model.underlying,
        lot_size=model.lot_size,
        lot_unit=model.lot_unit,
        quote_unit_size=model.quote_unit_size,
        quote_unit=model.quote_unit,
        currency=model.currency,
        tick_size=model.tick_size,
        listing=ListingRule(
            consecutive_months=model.listing.consecutive_months,
            quarterly_months=model.listing.quarterly_months,
            quarter_cycle=tuple(sorted(model.listing.quarter_cycle)),
        ),
        session=Session(
            trading_weekdays=frozenset(model.session.trading_weekdays),
            open_time=model.session.open,
            close_time=model.session.close,
            settlement_window=timedelta(seconds=model.session.settlement_window_seconds),
        ),
        holidays=HolidayRule(
            fixed_month_days=frozenset(
                (int(text[:2]), int(text[3:])) for text in model.holidays.fixed
            ),
            extra_dates=frozenset(model.holidays.extra),
        ),
        last_trading_day_rule=LastTradingDayRule(
            weekday=model.last_trading_day.weekday, nth=model.last_trading_day.nth
        ),
        final_settlement=FinalSettlementRule(
            fix_days=FixDays(model.final_settlement.fix_days),
            min_observed_fraction=model.final_settlement.min_observed_fraction,
            max_carry_forward_days=model.final_settlement.max_carry_forward_days,
        ),
        price_limit_tiers=tuple(
            PriceLimitTier(
                fraction=tier.fraction, halt=HaltKind(tier.halt), halt_minutes=tier.halt_minutes
            )
            for tier in model.price_limits
        ),
        margin=MarginParams(
            initial_fraction_min=model.margin.initial_fraction_min,
            initial_fraction_max=model.margin.initial_fraction_max,
            maintenance_ratio=model.margin.maintenance_ratio,
            coverage_alpha=model.margin.coverage_alpha,
            volatility_window_days=model.margin.volatility_window_days,
        ),
    )
