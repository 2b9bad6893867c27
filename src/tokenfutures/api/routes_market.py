"""Public market data: health, contracts, TPI fixings with audit, books, trades, settlements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from tokenfutures.api.context import ApiContext, Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.problems import NotFoundError
from tokenfutures.api.schemas import (
    BookPublic,
    ContractPublic,
    FinalSettlementAuditPublic,
    FixingPublic,
    Health,
    SettlementPublic,
    TradePublic,
)

router = APIRouter(prefix="/v1", tags=["market"], responses={404: PROBLEM_RESPONSES[404]})

Symbol = Annotated[str, Path(min_length=1, max_length=64, description="contract symbol")]


@router.get("/health", tags=["meta"])
async def health() -> Health:
    """Liveness; does not touch the venue (the REST benchmark's baseline)."""
    return Health()


@router.get("/contracts")
def list_contracts(ctx: Context) -> list[ContractPublic]:
    """Every listed contract with its tick, last trading day, phase and prior settlement."""
    return [ContractPublic.model_validate(c) for c in ctx.venue.settlement.contracts()]


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


@router.get("/contracts/{symbol}/trades")
def get_trades(
    symbol: Symbol,
    ctx: Context,
    limit: Annotated[int, Query(ge=1, le=1000, description="most recent trades")] = 100,
) -> list[TradePublic]:
    """The most recent trades of the contract, newest first."""
    _require_listed(ctx, symbol)
    return [TradePublic.model_validate(t) for t in ctx.venue.market.trades(symbol, limit=limit)]


@router.get("/contracts/{symbol}/settlements")
def get_settlements(symbol: Symbol, ctx: Context) -> list[SettlementPublic]:
    """Daily and final settlement prices of the contract, oldest first."""
    _require_listed(ctx, symbol)
    return [SettlementPublic.model_validate(s) for s in ctx.venue.settlement.settlements(symbol)]


@router.get("/index/fixings", tags=["index"])
def index_fixings(
    ctx: Context,
    start: Annotated[date | None, Query(description="first day (inclusive)")] = None,
    end: Annotated[date | None, Query(description="last day (inclusive)")] = None,
    known_at: Annotated[
        datetime | None,
        Query(description="the values as the venue knew them then (ISO time; UTC if naive)"),
    ] = None,
) -> list[FixingPublic]:
    """Token Price Index fixes the venue ingested, with their audit and publication time.

    Corrections never overwrite a fix: without ``known_at`` the current revision of each day,
    with it the revision the venue had recorded at that time.
    """
    if known_at is not None and known_at.tzinfo is None:
        known_at = known_at.replace(tzinfo=UTC)
    fixes = ctx.venue.index.index_fixings(start, end, known_at=known_at)
    return [FixingPublic.model_validate(f) for f in fixes]


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


def _require_listed(ctx: ApiContext, symbol: str) -> None:
    if ctx.ticks.tick_of(symbol) is None:
        raise NotFoundError(f"no listed contract {symbol!r}")
