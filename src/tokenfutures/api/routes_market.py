"""Public market data: health, contracts, TPI fixings with audit, books, trades, settlements."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from tokenfutures.api.context import ApiContext, Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import IdPage, Page
from tokenfutures.api.problems import NotFoundError, VenueHaltedError
from tokenfutures.api.schemas import (
    Health,
    IsoDate,
    IsoInstant,
    WireResponse,
    answers,
    page_answer,
)
from tokenfutures.venue.state import TRADES_KEPT
from tokenfutures.wire import Book, Contract, FinalSettlementAudit, Fixing, Settlement, Trade

router = APIRouter(prefix="/v1", tags=["market"], responses={404: PROBLEM_RESPONSES[404]})


Symbol = Annotated[str, Path(min_length=1, max_length=64, description="contract symbol")]


@router.get(
    "/health",
    tags=["meta"],
    responses={503: {"description": "The venue has halted (ADR 0643)"}},
)
async def health(ctx: Context) -> Health:
    """Health: 200 while the venue takes commands, 503 once its sequencer has halted.

    Reads one attribute, never the writer lock (the REST benchmark's baseline).
    """
    failure = ctx.venue.failure
    if failure is not None:
        raise VenueHaltedError(f"the venue has halted: {failure}")
    return Health()


@router.get("/contracts", responses=answers(Contract, paged=True))
def list_contracts(ctx: Context, page: Page) -> WireResponse:
    """Every listed contract with its tick, last trading day, phase and prior settlement."""
    return page_answer(page.take(ctx.venue.settlement.contracts(), _symbol), page)


@router.get("/contracts/{symbol}", responses=answers(Contract))
def get_contract(symbol: Symbol, ctx: Context) -> WireResponse:
    """One listed contract."""
    _require_listed(ctx, symbol)
    for contract in ctx.venue.settlement.contracts():
        if contract.symbol == symbol:
            return WireResponse(contract)
    raise NotFoundError(f"no listed contract {symbol!r}")


@router.get("/contracts/{symbol}/book", responses=answers(Book))
def get_book(
    symbol: Symbol,
    ctx: Context,
    depth: Annotated[int, Query(ge=1, le=50, description="price levels per side")] = 10,
) -> WireResponse:
    """Aggregated price levels, best first, with the last price, phase and venue seq."""
    _require_listed(ctx, symbol)
    return WireResponse(ctx.venue.market.book(symbol, depth=depth))


@router.get("/contracts/{symbol}/trades", responses=answers(Trade, paged=True))
def get_trades(symbol: Symbol, ctx: Context, page: IdPage) -> WireResponse:
    """The contract's recent trades (the last 1,000 are kept), newest first, a page at a time."""
    _require_listed(ctx, symbol)
    kept = ctx.venue.market.trades(symbol, limit=TRADES_KEPT)
    return page_answer(page.take(kept, _trade_id, descending=True), page)


@router.get("/contracts/{symbol}/settlements", responses=answers(Settlement, paged=True))
def get_settlements(symbol: Symbol, ctx: Context, page: Page) -> WireResponse:
    """Daily and final settlement prices of the contract, oldest first."""
    _require_listed(ctx, symbol)
    return page_answer(page.take(ctx.venue.settlement.settlements(symbol), _settlement_key), page)


@router.get("/index/fixings", tags=["index"], responses=answers(Fixing, paged=True))
def index_fixings(
    ctx: Context,
    page: Page,
    start: Annotated[IsoDate | None, Query(description="first day (inclusive)")] = None,
    end: Annotated[IsoDate | None, Query(description="last day (inclusive)")] = None,
    known_at: Annotated[
        IsoInstant | None,
        Query(description="the values as the venue knew them then (ISO time; UTC if naive)"),
    ] = None,
) -> WireResponse:
    """Token Price Index fixes the venue ingested, oldest first, with audit and publication time.

    Corrections never overwrite a fix: without ``known_at`` the current revision of each day,
    with it the revision the venue had recorded at that time (ADR 0232).
    """
    if known_at is not None and known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)
    rows = page.take(ctx.venue.index.index_fixings(start, end, known_at=known_at), _day_key)
    return page_answer(rows, page)


@router.get("/index/fixings/{day}/revisions", tags=["index"], responses=answers(Fixing, many=True))
def index_fixing_revisions(day: IsoDate, ctx: Context) -> WireResponse:
    """Every revision of one day's fix, oldest first (the original, then each correction)."""
    revisions = ctx.venue.index.fixing_revisions(day)
    if not revisions:
        raise NotFoundError(f"no TPI fix for {day.isoformat()}")
    return WireResponse(revisions)


@router.get(
    "/contracts/{symbol}/final-settlement",
    tags=["index"],
    responses=answers(FinalSettlementAudit),
)
def get_final_settlement(symbol: Symbol, ctx: Context) -> WireResponse:
    """The final settlement's audit: window fixes, carried and withheld days, mean, rounding."""
    _require_listed(ctx, symbol)
    audit = ctx.venue.settlement.final_settlement_audit(symbol)
    if audit is None:
        raise NotFoundError(f"{symbol} has not reached its final settlement")
    return WireResponse(
        FinalSettlementAudit(symbol=symbol, settled=bool(audit["settled"]), audit=dict(audit))
    )


def _symbol(contract: Any) -> str:
    return str(contract.symbol)


def _trade_id(trade: Any) -> int:
    return int(trade.trade_id)


def _settlement_key(row: Any) -> str:
    return f"{row.day.isoformat()}:{row.kind}"


def _day_key(row: Any) -> str:
    return str(row.day.isoformat())


def _require_listed(ctx: ApiContext, symbol: str) -> None:
    if ctx.ticks.tick_of(symbol) is None:
        raise NotFoundError(f"no listed contract {symbol!r}")
