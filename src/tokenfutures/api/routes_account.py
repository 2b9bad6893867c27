"""The caller's own clearing view: positions, margin and collateral ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import (
    DEFAULT_LIMIT,
    PAGE_RESPONSES,
    After,
    Limit,
    int_cursor,
    paginate,
)
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
def positions(
    account: Account,
    ctx: Context,
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[PositionPublic]:
    """Net position per contract, by contract symbol."""
    rows = sorted(ctx.venue.accounts.positions(account), key=_contract)
    page = paginate(request, response, rows, _contract, after=after, limit=limit)
    return [PositionPublic.model_validate(p) for p in page]


@router.get("/margin")
def margin(account: Account, ctx: Context) -> MarginPublic:
    """Collateral, initial and maintenance requirements, excess, open margin call."""
    return MarginPublic.model_validate(ctx.venue.accounts.margin(account))


@router.get("/ledger", responses=PAGE_RESPONSES)
def ledger(
    account: Account,
    ctx: Context,
    request: Request,
    response: Response,
    limit: Limit = DEFAULT_LIMIT,
    after: After = None,
) -> list[LedgerLinePublic]:
    """Postings to the caller's collateral, oldest first, with running balance.

    The cursor is the line's number in the account's ledger (an entry may post twice).
    """
    rows = list(enumerate(ctx.venue.accounts.ledger(account), start=1))
    page = paginate(request, response, rows, _number, after=int_cursor(after), limit=limit)
    return [LedgerLinePublic.model_validate(line) for _, line in page]


def _contract(row: Any) -> str:
    return str(row.contract)


def _number(row: tuple[int, Any]) -> int:
    return row[0]
