"""Public market data: health, contracts, TPI fixings with audit, books, trades, settlements."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from tokenfutures.api.context import ApiContext, Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.problems import NotFoundError
from tokenfutures.api.schemas import Health, WireResponse, answers
from tokenfutures.wire import Book, Contract, Fixing, Settlement, Trade

router = APIRouter(prefix="/v1", tags=["market"], responses={404: PROBLEM_RESPONSES[404]})

Symbol = Annotated[str, Path(min_length=1, max_length=64, description="contract symbol")]


@router.get("/health", tags=["meta"])
async def health() -> Health:
    """Liveness; does not touch the venue (the REST benchmark's baseline)."""
    return Health()


@router.get("/contracts", responses=answers(Contract, many=True))
def list_contracts(ctx: Context) -> WireResponse:
    """Every listed contract with its tick, last trading day, phase and prior settlement."""
    return WireResponse(ctx.venue.settlement.contracts())


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


@router.get("/contracts/{symbol}/trades", responses=answers(Trade, many=True))
def get_trades(
    symbol: Symbol,
    ctx: Context,
    limit: Annotated[int, Query(ge=1, le=1000, description="most recent trades")] = 100,
) -> WireResponse:
    """The most recent trades of the contract, newest first."""
    _require_listed(ctx, symbol)
    return WireResponse(ctx.venue.market.trades(symbol, limit=limit))


@router.get("/contracts/{symbol}/settlements", responses=answers(Settlement, many=True))
def get_settlements(symbol: Symbol, ctx: Context) -> WireResponse:
    """Daily and final settlement prices of the contract, oldest first."""
    _require_listed(ctx, symbol)
    return WireResponse(ctx.venue.settlement.settlements(symbol))


@router.get("/index/fixings", tags=["index"], responses=answers(Fixing, many=True))
def index_fixings(
    ctx: Context,
    start: Annotated[date | None, Query(description="first day (inclusive)")] = None,
    end: Annotated[date | None, Query(description="last day (inclusive)")] = None,
) -> WireResponse:
    """Token Price Index fixes the venue ingested, with their audit trail."""
    return WireResponse(ctx.venue.index.index_fixings(start, end))


def _require_listed(ctx: ApiContext, symbol: str) -> None:
    if ctx.ticks.tick_of(symbol) is None:
        raise NotFoundError(f"no listed contract {symbol!r}")
