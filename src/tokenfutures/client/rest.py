"""``TokenFuturesClient``: typed, synchronous REST client of the venue (httpx, keep-alive).

One method per route; answers are the wire shapes (``client.models``), decoded from the
response bytes by the wire codec; non-2xx
answers raise the ``ApiError`` subclass of their status (401, 404, 422, 429).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from tokenfutures.client.errors import error_for
from tokenfutures.client.models import (
    AccountFees,
    AuctionBid,
    Book,
    Contract,
    Fixing,
    LedgerLine,
    Margin,
    MassCancel,
    MemberAuction,
    Order,
    OrderAck,
    Position,
    Settlement,
    Trade,
)
from tokenfutures.wire import decode

T = TypeVar("T")
#: Header of a list endpoint's next-page cursor (the server's pagination, ADR 0657).
NEXT_CURSOR_HEADER = "X-Next-Cursor"


class TokenFuturesClient:
    """REST client bound to one API key.

    Parameters
    ----------
    base_url
        ``http://host:port`` of the API.
    api_key
        The account's key (sent as a bearer token); None for public market data only.
    timeout_s
        Per-request timeout in seconds.
    transport
        An httpx transport (tests may pass ``httpx.ASGITransport(app)``).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        self_trade_prevention: str | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        #: The account's default self-trade prevention for every order this client sends.
        self.self_trade_prevention = self_trade_prevention
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout_s, transport=transport
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- plumbing --------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and return its decoded JSON body (raises ``ApiError`` on non-2xx)."""
        return self._send(method, path, **kwargs).json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self._http.request(method, path, **kwargs)
        if response.is_success:
            return response
        try:
            problem = response.json()
        except ValueError:
            problem = {"title": response.reason_phrase, "status": response.status_code}
        raise error_for(response.status_code, problem, response.headers.get("Retry-After"))

    def _one(self, cls: type[T], method: str, path: str, **kwargs: Any) -> T:
        return decode(self._send(method, path, **kwargs).content, cls)

    def _many(
        self, cls: type[T], method: str, path: str, *, follow: bool = True, **kwargs: Any
    ) -> list[T]:
        """Every item of a list endpoint, following its ``X-Next-Cursor`` pages (or one page)."""
        items: list[T] = []
        params = dict(kwargs.pop("params", None) or {})
        while True:
            response = self._send(method, path, params=params, **kwargs)
            items += decode(response.content, list[cls])  # type: ignore[valid-type]
            cursor = response.headers.get(NEXT_CURSOR_HEADER)
            if cursor is None or not follow:
                return items
            params["after"] = cursor

    # --- public market data ----------------------------------------------------------------

    def health(self) -> bool:
        """True when the server answers ``/v1/health``."""
        return bool(self.request("GET", "/v1/health").get("status") == "ok")

    def contracts(self) -> list[Contract]:
        """Every listed contract."""
        return self._many(Contract, "GET", "/v1/contracts")

    def contract(self, symbol: str) -> Contract:
        """One listed contract."""
        return self._one(Contract, "GET", f"/v1/contracts/{symbol}")

    def book(self, symbol: str, depth: int = 10) -> Book:
        """The contract's price levels, best first."""
        return self._one(Book, "GET", f"/v1/contracts/{symbol}/book", params={"depth": depth})

    def trades(self, symbol: str, limit: int = 100) -> list[Trade]:
        """The contract's most recent trades."""
        path = f"/v1/contracts/{symbol}/trades"
        return self._many(Trade, "GET", path, follow=False, params={"limit": limit})

    def settlements(self, symbol: str) -> list[Settlement]:
        """The contract's daily and final settlement prices."""
        return self._many(Settlement, "GET", f"/v1/contracts/{symbol}/settlements")

    def fixings(self, start: date | None = None, end: date | None = None) -> list[Fixing]:
        """TPI fixes with their audit trail, optionally between ``start`` and ``end``."""
        params = {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v is not None}
        return self._many(Fixing, "GET", "/v1/index/fixings", params=params)

    def fixing_revisions(self, day: date) -> list[Fixing]:
        """Every revision of one day's fix, oldest first (the original, then each correction)."""
        return self._many(Fixing, "GET", f"/v1/index/fixings/{day.isoformat()}/revisions")

    def correct_fixing(
        self, day: date, *, reason: str, level: Decimal | str | None = None
    ) -> Fixing:
        """Correct the fix of ``day`` (an index administrator's key, ADR 0245): set ``level``,
        or withhold the fix when it is None; returns the new revision."""
        body: dict[str, Any] = {"reason": reason}
        body |= {"withhold": True} if level is None else {"level": str(level)}
        path = f"/v1/index/fixings/{day.isoformat()}/corrections"
        return self._one(Fixing, "POST", path, json=body)

    # --- orders ----------------------------------------------------------------------------

    def submit_order(
        self,
        contract: str,
        side: str,
        quantity: int,
        client_order_id: str,
        *,
        price: Decimal | None = None,
        order_type: str = "limit",
        tif: str = "gtc",
        post_only: bool = False,
        display_quantity: int | None = None,
        stop_price: Decimal | None = None,
        expire_at: datetime | None = None,
        self_trade_prevention: str | None = None,
    ) -> OrderAck:
        """Submit an order; retrying with the same ``client_order_id`` returns the first ack.

        ``self_trade_prevention`` (``cancel_resting``, ``cancel_aggressing``, ``cancel_both``)
        stops the order trading against the account's own resting orders; unset, the
        client's default (``TokenFuturesClient(..., self_trade_prevention=...)``) applies.
        """
        body: dict[str, Any] = {
            "contract": contract,
            "side": side,
            "quantity": quantity,
            "client_order_id": client_order_id,
            "order_type": order_type,
            "tif": tif,
            "post_only": post_only,
        }
        optional = {
            "price": None if price is None else str(price),
            "display_quantity": display_quantity,
            "stop_price": None if stop_price is None else str(stop_price),
            "expire_at": None if expire_at is None else expire_at.isoformat(),
            "self_trade_prevention": self_trade_prevention or self.self_trade_prevention,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return self._one(OrderAck, "POST", "/v1/orders", json=body)

    def cancel_order(self, order_id: int) -> OrderAck:
        """Cancel one of the account's orders (``NotFoundError`` if it is not open or not ours)."""
        return self._one(OrderAck, "DELETE", f"/v1/orders/{order_id}")

    def replace_order(
        self, order_id: int, quantity: int, *, price: Decimal | None = None
    ) -> OrderAck:
        """Cancel/replace an open order: new open ``quantity``, new ``price`` if given.

        A refusal (off tick, margin) comes back as an ack with ``status == "rejected"``;
        ``NotFoundError`` when the order is not open or not ours.
        """
        body: dict[str, Any] = {"quantity": quantity}
        if price is not None:
            body["price"] = str(price)
        return self._one(OrderAck, "PATCH", f"/v1/orders/{order_id}", json=body)

    def mass_cancel(self, contract: str | None = None) -> list[OrderAck]:
        """Cancel every open order of the account (in ``contract`` when given)."""
        params = {"contract": contract} if contract else {}
        return list(self._one(MassCancel, "DELETE", "/v1/orders", params=params).cancelled)

    def order(self, order_id: int) -> Order:
        """One of the account's orders."""
        return self._one(Order, "GET", f"/v1/orders/{order_id}")

    def orders(self, open_only: bool = True) -> list[Order]:
        """The account's orders (open ones by default)."""
        params = {"open_only": "true" if open_only else "false"}
        return self._many(Order, "GET", "/v1/orders", params=params)

    # --- account ---------------------------------------------------------------------------

    def account(self) -> str:
        """The account id of the client's key."""
        return str(self.request("GET", "/v1/account")["account"])

    def account_settings(self) -> dict[str, str]:
        """The account's defaults kept by the venue (``self_trade_prevention``; ADR 0432)."""
        return {k: str(v) for k, v in self.request("GET", "/v1/account/settings").items()}

    def set_account_settings(self, *, self_trade_prevention: str) -> dict[str, str]:
        """Set the account's default self-trade prevention on the venue (every order naming
        none takes it, from any client); returns the settings in force."""
        body = {"self_trade_prevention": self_trade_prevention}
        return {
            k: str(v) for k, v in self.request("PUT", "/v1/account/settings", json=body).items()
        }

    def positions(self) -> list[Position]:
        """Net position per contract."""
        return self._many(Position, "GET", "/v1/account/positions")

    def margin(self) -> Margin:
        """Collateral, requirements and any open margin call."""
        return self._one(Margin, "GET", "/v1/account/margin")

    def fees(self) -> AccountFees:
        """Lots and fees accrued since the last end of day, fees billed, default-fund share."""
        return self._one(AccountFees, "GET", "/v1/account/fees")

    def ledger(self) -> list[LedgerLine]:
        """Postings to the account's collateral."""
        return self._many(LedgerLine, "GET", "/v1/account/ledger")

    # --- default auctions (invited clearing members; ADR 0621) ---------------------------

    def auctions(self, status: str | None = None) -> list[MemberAuction]:
        """The default auctions this account is invited to (``status``: only ``open``,
        ``awarded``...), oldest first: the portfolio, its own bid, after the close its share."""
        params = {} if status is None else {"status": status}
        return self._many(MemberAuction, "GET", "/v1/clearing/auctions", params=params)

    def auction(self, auction_id: int) -> MemberAuction:
        """One default auction this account is invited to (``NotFoundError`` otherwise)."""
        return self._one(MemberAuction, "GET", f"/v1/clearing/auctions/{auction_id}")

    def bid(self, auction_id: int, amount: Decimal | str) -> AuctionBid:
        """Put a sealed bid: USD paid to the CCP for the portfolio (negative: asked of it);
        ``NotFoundError`` for an auction this account is not invited to."""
        path = f"/v1/clearing/auctions/{auction_id}/bids"
        return self._one(AuctionBid, "POST", path, json={"amount": str(amount)})
