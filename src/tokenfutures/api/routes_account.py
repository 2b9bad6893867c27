"""The caller's own clearing view: positions, margin and collateral ledger."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.schemas import LedgerLinePublic, MarginPublic, PositionPublic

router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)


class AccountPublic(BaseModel):
    """Who the presented key belongs to."""

    account: str


@router.get("")
def whoami(account: Account) -> AccountPublic:
    """The account id of the presented API key."""
    return AccountPublic(account=account)


@router.get("/positions")
def positions(account: Account, ctx: Context) -> list[PositionPublic]:
    """Net position per contract."""
    return [PositionPublic.model_validate(p) for p in ctx.venue.accounts.positions(account)]


@router.get("/margin")
def margin(account: Account, ctx: Context) -> MarginPublic:
    """Collateral, initial and maintenance requirements, excess, open margin call."""
    return MarginPublic.model_validate(ctx.venue.accounts.margin(account))


@router.get("/ledger")
def ledger(account: Account, ctx: Context) -> list[LedgerLinePublic]:
    """Postings to the caller's collateral, oldest first, with running balance."""
    return [LedgerLinePublic.model_validate(line) for line in ctx.venue.accounts.ledger(account)]
