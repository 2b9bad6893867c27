"""Order entry for the authenticated caller: submit, cancel, mass cancel, look up its own orders.

A command that reaches the sequencer is answered with its ack (201 for a new order, 200 for a
cancel) even when the venue rejects it: the rejection is a business outcome, ``status ==
"rejected"`` with a ``reason`` (ADR 0650). An order the caller does not own is a 404, exactly
like an order that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from tokenfutures.api.auth import API_KEY_SCHEME, Account, authenticate_request
from tokenfutures.api.context import Context, get_context
from tokenfutures.api.errors import PROBLEM_RESPONSES
from tokenfutures.api.pagination import IdPage
from tokenfutures.api.problems import IdempotencyConflictError, NotFoundError
from tokenfutures.api.schemas import OrderCreate, OrderReplace, WireResponse, answers, page_answer
from tokenfutures.venue.idempotency import CLIENT_ORDER_ID_REUSED
from tokenfutures.wire import MassCancel, Order, OrderAck, encode

router = APIRouter(prefix="/v1/orders", tags=["orders"], responses=PROBLEM_RESPONSES)

OrderId = Annotated[int, Path(ge=1, le=2**62, description="venue order id")]
_NOT_VISIBLE = frozenset({"UNKNOWN_ORDER", "NOT_OWNER"})
_BODY_PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Body is not parseable (e.g. not UTF-8 JSON)"},
}


#: Schemas the hot route declares by reference (``create_app`` adds them to the components).
BODY_SCHEMAS = (OrderCreate,)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        **answers(OrderAck, status=201, description="Created"),
        **_BODY_PROBLEMS,
        409: {"description": "client_order_id already names a different order (ADR 0658)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/OrderCreate"}}
            },
        },
        "security": [{API_KEY_SCHEME: []}],
    },
)
async def submit_order(request: Request) -> Response:
    """Submit an order; a retry with the same ``client_order_id`` returns the first ack.

    The hot route does by hand what FastAPI's dependencies would (ADR 0653): it authenticates
    with ``authenticate_request``, parses the body with ``OrderCreate`` in one pass, and writes
    its answer, written by the wire codec. The OpenAPI document declares the same body,
    security and responses.
    """
    account = authenticate_request(request)
    raw = await request.body()
    try:
        body = OrderCreate.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False), body=raw) from None
    ack = await get_context(request).gateway.submit(account, body.to_request())
    if ack.status == "rejected" and ack.reason == CLIENT_ORDER_ID_REUSED:
        raise IdempotencyConflictError(
            f"client_order_id {body.client_order_id!r} already names a different order; "
            "a retry must repeat the first request exactly (use a new id for a new order)"
        )
    return Response(encode(ack), status_code=status.HTTP_201_CREATED, media_type="application/json")


@router.get("", responses=answers(Order, paged=True))
def list_orders(
    account: Account,
    ctx: Context,
    page: IdPage,
    open_only: Annotated[bool, Query(description="only orders still working")] = True,
) -> WireResponse:
    """The caller's orders, oldest first (open ones by default), a page at a time (ADR 0657)."""
    rows, more = ctx.venue.trading.orders_page(
        account, open_only=open_only, after=page.after, limit=page.limit
    )
    if more:
        page.next_from(str(rows[-1].order_id))
    return page_answer(rows, page)


@router.get("/{order_id}", responses=answers(Order))
def get_order(order_id: OrderId, account: Account, ctx: Context) -> WireResponse:
    """One of the caller's orders; 404 when unknown or another account's."""
    order = ctx.venue.trading.order(account, order_id)
    if order is None:
        raise NotFoundError(f"no order {order_id} for this account")
    return WireResponse(order)


@router.delete("/{order_id}", responses=answers(OrderAck))
def cancel_order(order_id: OrderId, account: Account, ctx: Context) -> WireResponse:
    """Cancel one of the caller's orders; 404 when unknown, already gone, or not the caller's."""
    ack = ctx.venue.trading.cancel_order(account, order_id)
    if ack.status == "rejected" and ack.reason in _NOT_VISIBLE:
        raise NotFoundError(f"no open order {order_id} for this account")
    return WireResponse(ack)


@router.patch("/{order_id}", responses={**answers(OrderAck), **_BODY_PROBLEMS})
def replace_order(
    order_id: OrderId, body: OrderReplace, account: Account, ctx: Context
) -> WireResponse:
    """Cancel/replace one of the caller's open orders; 404 when unknown, gone or not the caller's.

    A business refusal (off tick, insufficient margin, post-only would cross) is a 200 ack with
    ``status == "rejected"`` and its reason, as for new orders (ADR 0650).
    """
    ack = ctx.venue.trading.replace_order(
        account, order_id, quantity=body.quantity, price=body.price
    )
    if ack.status == "rejected" and ack.reason in _NOT_VISIBLE:
        raise NotFoundError(f"no open order {order_id} for this account")
    return WireResponse(ack)


@router.delete("", responses=answers(MassCancel))
def mass_cancel(
    account: Account,
    ctx: Context,
    contract: Annotated[str | None, Query(max_length=64, description="only this contract")] = None,
) -> WireResponse:
    """Cancel every open order of the caller (in one contract when given)."""
    acks = ctx.venue.trading.mass_cancel(account, contract)
    return WireResponse(MassCancel(tuple(acks)))
