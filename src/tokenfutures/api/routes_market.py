"""Public market data: health, contracts, TPI fixings with audit, books, trades, settlements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from tokenfutures.api.context import ApiContext, Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import (
    DEFAULT_LIMIT,
    PAGE_RESPONSES,
    After,
    Limit,
    int_cursor,
    paginate,
)
from tokenfutures.api.problems import NotFoundError, VenueHaltedError
from tokenfutures.api.schemas import (
    BookPublic,
    ContractPublic,
    FinalSettlementAuditPublic,
    FixingPublic,
    Health,
    SettlementPublic,
    TradePublic,
)
from tokenfutures.venue.state import TRADES_KEPT

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


@router.get("/contracts", responses=PAGE_RESPONSES)
def list_contracts(
    ctx: Context,
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[ContractPublic]:
    """Every listed contract with its tick, last trading day, phase and prior settlement."""
    page = paginate(
        request, response, ctx.venue.settlement.contracts(), _symbol, after=after, limit=limit
    )
    return [ContractPublic.model_validate(c) for c in page]


@router.get("/contracts/{symbol}")
def get_contract(symbol: Symbol, ctx: Context) -> ContractPublic:
    """One listed contract."""
    _require_listed(ctx, symbol)
    for contract in ctx.venue.settlement.contracts():
        if contract.symbol == symbol:
            return ContractPublic.model_validate(contract)
    raise NotFoundError(f"no listed contract {symbol!r}")


@router.get("/contracts/{symbol}/book")
def get_book(
    symbol: Symbol,
    ctx: Context,
    depth: Annotated[int, Query(ge=1, le=50, description="price levels per side")] = 10,
) -> BookPublic:
    """Aggregated price levels, best first, with the last price, phase and venue seq."""
    _require_listed(ctx, symbol)
    return BookPublic.model_validate(ctx.venue.market.book(symbol, depth=depth))


@router.get("/contracts/{symbol}/trades", responses=PAGE_RESPONSES)
def get_trades(
    symbol: Symbol,
    ctx: Context,
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[TradePublic]:
    """The contract's recent trades (the last 1,000 are kept), newest first, a page at a time."""
    _require_listed(ctx, symbol)
    kept = ctx.venue.market.trades(symbol, limit=TRADES_KEPT)
    page = paginate(
        request, response, kept, _trade_id, after=int_cursor(after), limit=limit, descending=True
    )
    return [TradePublic.model_validate(t) for t in page]


@router.get("/contracts/{symbol}/settlements", responses=PAGE_RESPONSES)
def get_settlements(
    symbol: Symbol,
    ctx: Context,
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[SettlementPublic]:
    """Daily and final settlement prices of the contract, oldest first."""
    _require_listed(ctx, symbol)
    rows = ctx.venue.settlement.settlements(symbol)
    page = paginate(request, response, rows, _settlement_key, after=after, limit=limit)
    return [SettlementPublic.model_validate(s) for s in page]


@router.get("/index/fixings", tags=["index"], responses=PAGE_RESPONSES)
def index_fixings(
    ctx: Context,
    request: Request,
    response: Response,
    start: Annotated[date | None, Query(description="first day (inclusive)")] = None,
    end: Annotated[date | None, Query(description="last day (inclusive)")] = None,
    known_at: Annotated[
        datetime | None,
        Query(description="the values as the venue knew them then (ISO time; UTC if naive)"),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[FixingPublic]:
    """Token Price Index fixes the venue ingested, oldest first, with audit and publication time.

    Corrections never overwrite a fix: without ``known_at`` the current revision of each day,
    with it the revision the venue had recorded at that time (ADR 0232).
    """
    if known_at is not None and known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)
    rows = ctx.venue.index.index_fixings(start, end, known_at=known_at)
    page = paginate(request, response, rows, _day_key, after=after, limit=limit)
    return [FixingPublic.model_validate(f) for f in page]


@router.get("/index/fixings/{day}/revisions", tags=["index"])
def index_fixing_revisions(day: date, ctx: Context) -> list[FixingPublic]:
    """Every revision of one day's fix, oldest first (the original, then each correction)."""
    revisions = ctx.venue.index.fixing_revisions(day)
    if not revisions:
        raise NotFoundError(f"no TPI fix for {day.isoformat()}")
    return [FixingPublic.model_validate(f) for f in revisions]


@router.get("/contracts/{symbol}/final-settlement", tags=["index"])
def get_final_settlement(symbol: Symbol, ctx: Context) -> FinalSettlementAuditPublic:
    """The final settlement's audit: window fixes, carried and withheld days, mean, rounding."""
    _require_listed(ctx, symbol)
    audit = ctx.venue.settlement.final_settlement_audit(symbol)
    if audit is None:
        raise NotFoundError(f"{symbol} has not reached its final settlement")
    return FinalSettlementAuditPublic(
        symbol=symbol, settled=bool(audit["settled"]), audit=dict(audit)
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
