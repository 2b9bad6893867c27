"""The clearing cycle over HTTP: end-of-day results, public and the caller's own.

Public: each end of day's settlement prices, final settlements and aggregates (variation
margin paid, calls issued, defaults declared) — never another member's figures. Private
(``/v1/account/end-of-day``): the caller's own variation margin, call and default per day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import PAGE_RESPONSES, IdPage
from tokenfutures.api.schemas import IsoDate, SettlementPublic

router = APIRouter(prefix="/v1/clearing", tags=["clearing"])
account_router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)

Start = Annotated[IsoDate | None, Query(description="first day (inclusive)")]
End = Annotated[IsoDate | None, Query(description="last day (inclusive)")]


class MarginBacktestPublic(BaseModel):
    """A contract's IM backtest so far: 2-day breaches of long and short lots, Kupiec at 99 %."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    observations: int
    breaches: int
    breach_rate: float
    p_value: float
    rejected: bool


class EndOfDayPublic(BaseModel):
    """One end of day: settlement prices, final settlements and what clearing did in total."""

    model_config = ConfigDict(frozen=True)

    day: date
    seq: int
    settlements: list[SettlementPublic]
    final_settlements: list[SettlementPublic]
    variation_margin_paid: Decimal
    margin_calls: int
    margin_called: Decimal
    defaults: int
    margin_method: str
    margin_backtest: dict[str, MarginBacktestPublic]


class AccountDayPublic(BaseModel):
    """The caller's end of day: variation margin (+ received, − paid), its call, a default."""

    model_config = ConfigDict(frozen=True)

    day: date
    seq: int
    variation_margin: Decimal
    margin_call: Decimal | None
    defaulted: bool


@router.get("/end-of-day", responses=PAGE_RESPONSES)
def end_of_day(
    ctx: Context, page: IdPage, start: Start = None, end: End = None
) -> list[EndOfDayPublic]:
    """Every end of day in ``[start, end]``, oldest first, a page at a time (ADR 0657)."""
    return [
        EndOfDayPublic(
            day=r.day,
            seq=r.seq,
            settlements=[SettlementPublic.model_validate(s) for s in r.settlements],
            final_settlements=[SettlementPublic.model_validate(s) for s in r.final_settlements],
            variation_margin_paid=sum(
                (-v for v in r.variation_margin.values() if v < 0), Decimal(0)
            ),
            margin_calls=len(r.margin_calls),
            margin_called=sum(r.margin_calls.values(), Decimal(0)),
            defaults=len(r.defaults),
            margin_method=r.margin_method,
            margin_backtest={
                c: MarginBacktestPublic.model_validate(b) for c, b in r.margin_backtest.items()
            },
        )
        for r in page.take(ctx.venue.settlement.reports(start, end), _seq_key)
    ]


@account_router.get("/end-of-day", responses=PAGE_RESPONSES)
def account_end_of_day(
    account: Account, ctx: Context, page: IdPage, start: Start = None, end: End = None
) -> list[AccountDayPublic]:
    """The caller's variation margin, margin call and default of each end of day (paged)."""
    return [
        AccountDayPublic(
            day=r.day,
            seq=r.seq,
            variation_margin=r.variation_margin.get(account, Decimal(0)),
            margin_call=r.margin_calls.get(account),
            defaulted=account in r.defaults,
        )
        for r in page.take(ctx.venue.settlement.reports(start, end), _seq_key)
    ]


def _seq_key(report: Any) -> int:
    return int(report.seq)  # the end of day's journal seq: unique and ascending
