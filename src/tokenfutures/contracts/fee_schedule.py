"""The venue's fee schedule: maker, taker and clearing fee per lot, effective-dated, as data.

Exchanges publish their price lists apart from the contract terms (a fee change is not a change
of terms, ADR 0300), so the schedule is its own file (``contracts/fees/schedule.json``): one
entry per effective date, rates per product and spec version (a lot of SIT v1 and of SIT v2
differ 10,000-fold), in USD per lot per side, whole micro-USD. A negative maker fee is a rebate;
no trade may pay out more than it takes (maker + taker >= 0). ADR 0411.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from tokenfutures.contracts.spec_schema import SpecError
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import to_micros

SCHEDULE_FILE = "schedule.json"


@dataclass(frozen=True, slots=True)
class FeeRates:
    """Fees of one product version in USD per lot per side (maker < 0 is a rebate)."""

    maker: Decimal
    taker: Decimal
    clearing: Decimal


def _exact(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('write fees as JSON strings (e.g. "0.10"), not floats')
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Fee = Annotated[Decimal, BeforeValidator(_exact)]


class RatesModel(_Strict):
    """One product version's fees; whole micro-USD, taker and clearing >= 0, maker >= -taker."""

    maker: Fee
    taker: Fee = Field(ge=0)
    clearing: Fee = Field(ge=0)

    @model_validator(mode="after")
    def _whole_micros_and_no_payout(self) -> RatesModel:
        for name in ("maker", "taker", "clearing"):
            try:
                to_micros(getattr(self, name))
            except ValueError:
                raise ValueError(f"{name} must be a whole number of micro-USD") from None
        if self.maker + self.taker < 0:
            raise ValueError("a maker rebate may not exceed the taker fee (maker + taker >= 0)")
        return self


class ScheduleEntryModel(_Strict):
    """The rates in force from ``effective_from`` (a trading day) until the next entry."""

    effective_from: date
    note: str = ""
    products: dict[str, dict[str, RatesModel]] = Field(min_length=1)


class ScheduleModel(_Strict):
    """The whole file: entries in strictly increasing effective order."""

    schema_version: Literal[1]
    currency: Literal["USD"]
    unit: Literal["USD per lot per side"]
    schedules: list[ScheduleEntryModel] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleModel:
        days = [entry.effective_from for entry in self.schedules]
        if days != sorted(set(days)):
            raise ValueError("schedules must have strictly increasing effective_from dates")
        return self


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """Effective-dated fee rates by (product, spec version)."""

    effective: tuple[date, ...]
    rates: tuple[dict[tuple[str, str], FeeRates], ...]

    def rates_for(self, product: str, version: str, day: date) -> FeeRates:
        """The rates in force on trading ``day``; zero fees before the first entry or for a
        product version the entry does not name."""
        index = bisect_right(self.effective, day) - 1
        if index < 0:
            return NO_FEES
        return self.rates[index].get((product.upper(), version), NO_FEES)


NO_FEES = FeeRates(Decimal(0), Decimal(0), Decimal(0))


def parse_fee_schedule(text: str, source: str = "<fees>") -> FeeSchedule:
    """Decode and validate a fee schedule document; errors name the source and the field."""
    try:
        model = ScheduleModel.model_validate(json.loads(text))
    except json.JSONDecodeError as bad:
        raise SpecError(f"invalid fee schedule {source}: not JSON ({bad})") from None
    except ValidationError as bad:
        fields = "; ".join(
            f"field '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in bad.errors()
        )
        raise SpecError(f"invalid fee schedule {source}: {fields}") from None
    return FeeSchedule(
        tuple(entry.effective_from for entry in model.schedules),
        tuple(
            {
                (product.upper(), version): FeeRates(r.maker, r.taker, r.clearing)
                for product, versions in entry.products.items()
                for version, r in versions.items()
            }
            for entry in model.schedules
        ),
    )


@cache
def fee_schedule() -> FeeSchedule:
    """The shipped fee schedule (``contracts/fees/schedule.json``)."""
    resource = resources.files("tokenfutures.contracts").joinpath("fees", SCHEDULE_FILE)
    return parse_fee_schedule(resource.read_text(encoding="utf-8"), source=SCHEDULE_FILE)


def fee_rates(product: str, version: str, day: date) -> FeeRates:
    """The shipped schedule's rates for ``product`` ``version`` on trading ``day``."""
    if not product:
        raise InvalidParameterError("product", product, "a product code")
    return fee_schedule().rates_for(product, version, day)
