"""The caller's own clearing view: positions, margin and collateral ledger."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.schemas import WireResponse, answers
from tokenfutures.wire import LedgerLine, Margin, Position

router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)


class AccountPublic(BaseModel):
    """Who the presented key belongs to."""

    account: str


@router.get("")
def whoami(account: Account) -> AccountPublic:
    """The account id of the presented API key."""
    return AccountPublic(account=account)


@router.get("/positions", responses=answers(Position, many=True))
def positions(account: Account, ctx: Context) -> WireResponse:
    """Net position per contract."""
    return WireResponse(ctx.venue.accounts.positions(account))


@router.get("/margin", responses=answers(Margin))
def margin(account: Account, ctx: Context) -> WireResponse:
    """Collateral, initial and maintenance requirements, excess, open margin call."""
    return WireResponse(ctx.venue.accounts.margin(account))


@router.get("/ledger", responses=answers(LedgerLine, many=True))
def ledger(account: Account, ctx: Context) -> WireResponse:
    """Postings to the caller's collateral, oldest first, with running balance."""
    return WireResponse(ctx.venue.accounts.ledger(account))
