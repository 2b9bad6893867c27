"""The caller's own clearing view: positions, margin and collateral ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import PAGE_RESPONSES, IdPage, Page
from tokenfutures.api.schemas import LedgerLinePublic, MarginPublic, PositionPublic

router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)


class AccountPublic(BaseModel):
    """Who the presented key belongs to."""

    account: str


@router.get("")
def whoami(account: Account) -> AccountPublic:
    """The account id of the presented API key."""
    return AccountPublic(account=account)


@router.get("/positions", responses=PAGE_RESPONSES)
def positions(account: Account, ctx: Context, page: Page) -> list[PositionPublic]:
    """Net position per contract, by contract symbol."""
    rows = page.take(sorted(ctx.venue.accounts.positions(account), key=_contract), _contract)
    return [PositionPublic.model_validate(p) for p in rows]


@router.get("/margin")
def margin(account: Account, ctx: Context) -> MarginPublic:
    """Collateral, initial and maintenance requirements, excess, open margin call."""
    return MarginPublic.model_validate(ctx.venue.accounts.margin(account))


@router.get("/ledger", responses=PAGE_RESPONSES)
def ledger(account: Account, ctx: Context, page: IdPage) -> list[LedgerLinePublic]:
    """Postings to the caller's collateral, oldest first, with running balance.

    The cursor is the line's number in the account's ledger (an entry may post twice).
    """
    rows = page.take(list(enumerate(ctx.venue.accounts.ledger(account), start=1)), _number)
    return [LedgerLinePublic.model_validate(line) for _, line in rows]


def _contract(row: Any) -> str:
    return str(row.contract)


def _number(row: tuple[int, Any]) -> int:
    return row[0]
