"""The clearing cycle over HTTP: end-of-day results, public and the caller's own.

Public: each end of day's settlement prices, final settlements and aggregates (variation
margin paid, calls issued, defaults declared, fees billed, the default fund and its Cover-2
size) — never another member's figures. Private (``/v1/account/end-of-day``): the caller's
own variation margin, call, default, fees and default-fund contribution per day.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import IdPage
from tokenfutures.api.schemas import IsoDate, WireResponse, answers, page_answer
from tokenfutures.wire import AccountDay, EndOfDay

router = APIRouter(prefix="/v1/clearing", tags=["clearing"])
account_router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)

Start = Annotated[IsoDate | None, Query(description="first day (inclusive)")]
End = Annotated[IsoDate | None, Query(description="last day (inclusive)")]


@router.get("/end-of-day", responses=answers(EndOfDay, paged=True))
def end_of_day(ctx: Context, page: IdPage, start: Start = None, end: End = None) -> WireResponse:
    """Every end of day in ``[start, end]``, oldest first, a page at a time (ADR 0657)."""
    days = [
        EndOfDay(
            day=r.day,
            seq=r.seq,
            settlements=tuple(r.settlements),
            final_settlements=tuple(r.final_settlements),
            variation_margin_paid=sum(
                (-v for v in r.variation_margin.values() if v < 0), Decimal(0)
            ),
            margin_calls=len(r.margin_calls),
            margin_called=sum(r.margin_calls.values(), Decimal(0)),
            defaults=len(r.defaults),
            margin_method=r.margin_method,
            margin_backtest=dict(r.margin_backtest),
            trading_fees=sum(r.trading_fees.values(), Decimal(0)),
            clearing_fees=sum(r.clearing_fees.values(), Decimal(0)),
            default_fund=sum(r.default_fund.values(), Decimal(0)),
            cover2=r.cover2,
        )
        for r in page.take(ctx.venue.settlement.reports(start, end), _seq_key)
    ]
    return page_answer(days, page)


@account_router.get("/end-of-day", responses=answers(AccountDay, paged=True))
def account_end_of_day(
    account: Account, ctx: Context, page: IdPage, start: Start = None, end: End = None
) -> WireResponse:
    """The caller's variation margin, call, default, fees and fund share of each end of day."""
    days = [
        r.of_account(account) for r in page.take(ctx.venue.settlement.reports(start, end), _seq_key)
    ]
    return page_answer(days, page)


def _seq_key(report: Any) -> int:
    return int(report.seq)  # the end of day's journal seq: unique and ascending
