"""Default auctions over HTTP, to the clearing members invited to bid, and to no one else.

As a CCP runs a default auction (ADR 0621): an invited member lists the auctions offered to
it and reads each as ``MemberAuction`` (the portfolio at the settlement prices it moves at,
the window, the reserve, its own sealed bid; after the close the outcome and its own share
of it), and ``POST .../{id}/bids`` puts its sealed bid (ADR 0420). Never the defaulter, the
other members invited, their bids or how many came; to anyone not invited an auction does
not exist (404, like an unknown id). Openings and closes reach the invited members on their
private WebSocket stream (ADR 0622).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from tokenfutures.api.auth import Account
from tokenfutures.api.context import Context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import IdPage
from tokenfutures.api.problems import NotFoundError
from tokenfutures.api.schemas import WireResponse, answers, page_answer
from tokenfutures.venue.services.auctions import UnknownAuctionError
from tokenfutures.wire import AuctionBid, MemberAuction

router = APIRouter(prefix="/v1/clearing/auctions", tags=["clearing"], responses=PROBLEM_RESPONSES)

AuctionId = Annotated[int, Path(ge=1, le=2**62, description="default auction id")]
#: A USD amount in cents, signed (negative: the bidder asks the CCP to pay it).
AMOUNT_PATTERN = r"^-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"
_AMOUNT = re.compile(AMOUNT_PATTERN)


def _amount_text(value: object) -> object:
    """Only a decimal string of the documented shape becomes an amount."""
    if not isinstance(value, str) or _AMOUNT.fullmatch(value) is None:
        raise ValueError('an amount is a decimal string in USD cents, e.g. "-1250.00"')
    return value


class BidCreate(BaseModel):
    """A sealed bid: USD the caller pays the CCP for the whole portfolio at the settlement
    prices (negative: what it asks to be paid). A later bid replaces the earlier one."""

    model_config = ConfigDict(extra="forbid")

    amount: Annotated[
        Decimal,
        BeforeValidator(_amount_text),
        WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN, "examples": ["-1250.00"]}),
    ]


@router.get("", responses=answers(MemberAuction, paged=True))
def auctions(
    account: Account,
    ctx: Context,
    page: IdPage,
    status_: Annotated[
        Literal["open", "awarded", "allocated", "unallocated", "empty"] | None,
        Query(alias="status", description="only auctions in this state"),
    ] = None,
) -> WireResponse:
    """The default auctions the caller is invited to, oldest first, a page at a time (ADR
    0657), as it may see them (ADR 0621)."""
    rows = page.take(ctx.venue.auctions.offered(account, status_), _id)
    return page_answer(rows, page)


@router.get("/{auction_id}", responses=answers(MemberAuction))
def auction(auction_id: AuctionId, account: Account, ctx: Context) -> WireResponse:
    """One default auction the caller is invited to; 404 when there is none such."""
    try:
        return WireResponse(ctx.venue.auctions.offer(account, auction_id))
    except UnknownAuctionError:
        raise NotFoundError(f"no default auction {auction_id}") from None


@router.post(
    "/{auction_id}/bids",
    status_code=status.HTTP_201_CREATED,
    responses={
        **answers(AuctionBid, status=201, description="Created"),
        400: {"description": "Body is not parseable (e.g. not UTF-8 JSON)"},
    },
)
def bid(auction_id: AuctionId, body: BidCreate, account: Account, ctx: Context) -> WireResponse:
    """Put the caller's sealed bid; 404 for an auction unknown or not offered to the caller,
    422 when it cannot count (closed, beyond the caller's excess collateral)."""
    try:
        taken = ctx.venue.auctions.bid(account, auction_id, body.amount)
    except UnknownAuctionError:
        raise NotFoundError(f"no default auction {auction_id}") from None
    return WireResponse(taken, status_code=status.HTTP_201_CREATED)


def _id(row: MemberAuction) -> int:
    return row.auction_id
