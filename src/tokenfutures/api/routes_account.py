"""The caller's own clearing view: positions, margin and collateral ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import IdPage, Page
from tokenfutures.api.schemas import StpMode, WireResponse, answers, page_answer
from tokenfutures.wire import LedgerLine, Margin, Position

router = APIRouter(prefix="/v1/account", tags=["account"], responses=PROBLEM_RESPONSES)


class AccountPublic(BaseModel):
    """Who the presented key belongs to."""

    account: str


@router.get("")
def whoami(account: Account) -> AccountPublic:
    """The account id of the presented API key."""
    return AccountPublic(account=account)


class AccountSettings(BaseModel):
    """The caller's account defaults (ADR 0432): self-trade prevention of orders naming none."""

    model_config = ConfigDict(extra="forbid")

    self_trade_prevention: StpMode = Field(
        description="applied to the account's orders that do not name a mode (ADR 0410)"
    )


@router.get("/settings")
def settings(account: Account, ctx: Context) -> AccountSettings:
    """The caller's account defaults."""
    return AccountSettings.model_validate(ctx.venue.accounts.settings(account))


@router.put("/settings")
def put_settings(body: AccountSettings, account: Account, ctx: Context) -> AccountSettings:
    """Set the caller's account defaults (journalled: a replay applies them from the same point)."""
    mode = body.self_trade_prevention
    return AccountSettings.model_validate(
        ctx.venue.accounts.set_settings(account, self_trade_prevention=mode)
    )


@router.get("/positions", responses=answers(Position, paged=True))
def positions(account: Account, ctx: Context, page: Page) -> WireResponse:
    """Net position per contract, by contract symbol."""
    rows = page.take(sorted(ctx.venue.accounts.positions(account), key=_contract), _contract)
    return page_answer(rows, page)


@router.get("/margin", responses=answers(Margin))
def margin(account: Account, ctx: Context) -> WireResponse:
    """Collateral, initial and maintenance requirements, excess, open margin call."""
    return WireResponse(ctx.venue.accounts.margin(account))


@router.get("/ledger", responses=answers(LedgerLine, paged=True))
def ledger(account: Account, ctx: Context, page: IdPage) -> WireResponse:
    """Postings to the caller's collateral, oldest first, with running balance.

    The cursor is the line's number in the account's ledger (an entry may post twice).
    """
    rows = page.take(list(enumerate(ctx.venue.accounts.ledger(account), start=1)), _number)
    return page_answer([line for _, line in rows], page)


def _contract(row: Any) -> str:
    return str(row.contract)


def _number(row: tuple[int, Any]) -> int:
    return row[0]
