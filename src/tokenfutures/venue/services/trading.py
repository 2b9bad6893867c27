"""Trading: orders in (new, batch, cancel, replace, mass cancel) and the owner's order views."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.exchange import CancelOrder, MassCancel, NewOrder, OrderCancelled, ReplaceOrder
from tokenfutures.venue.commands import VenueCommand
from tokenfutures.venue.idempotency import CLIENT_ORDER_ID_REUSED, journalled_order, same_order
from tokenfutures.venue.orders import OrderRecord, rejected_record, to_ack
from tokenfutures.venue.requests import price_to_ticks, to_new_order
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.venue.state import Applied
from tokenfutures.venue.views import OrderAck, OrderRequest, OrderView


class TradingService(Service):
    """Enter, cancel and replace orders; a refusal before the journal is an ack, never a command."""

    def submit_order(self, account: str, request: OrderRequest) -> OrderAck:
        """Enter an order; a rejection is an ack with ``status == "rejected"`` and a reason."""
        return self.submit_batch([(account, request)])[0]

    def submit_batch(self, orders: Sequence[tuple[str, OrderRequest]]) -> list[OrderAck]:
        """Enter orders of any accounts as one journal batch (one group commit); acks in order.

        Each order gets exactly the ack ``submit_order`` would give it alone: a retry of a known
        (account, client order id) gets its first ack, the same id with another order a
        ``CLIENT_ORDER_ID_REUSED`` rejection (ADR 0658), a request that cannot become a command
        (unknown account, price off tick) a rejection that is never journalled.
        """
        acks: list[OrderAck | None] = []
        commands: list[VenueCommand] = []
        pending: dict[tuple[str, str], NewOrder] = {}
        with self._lock:
            state = self._state
            for account, request in orders:
                pair = (account, request.client_order_id)
                command = to_new_order(state, account, request)
                previous = state.acks.get(pair)
                if previous is not None:
                    acks.append(self._retried(account, request, command, to_ack(previous)))
                    continue
                first = pending.get(pair)
                if first is not None and not same_order(first, command):
                    acks.append(self._refused(account, request, CLIENT_ORDER_ID_REUSED))
                    continue
                if isinstance(command, str):
                    acks.append(self._refused(account, request, command))
                    continue
                pending.setdefault(pair, command)
                acks.append(None)
                commands.append(command)
        if not commands:
            return [ack for ack in acks if ack is not None]
        applied = iter(self._seq.execute(commands))
        return [ack if ack is not None else order_ack_of(next(applied)) for ack in acks]

    def _retried(
        self, account: str, request: OrderRequest, command: NewOrder | str, first: OrderAck
    ) -> OrderAck:
        """The first ack of a repeated request, or a refusal when the request changed."""
        original = journalled_order(self._seq.store, first.seq)
        if original is None or same_order(original, command):
            return first
        return self._refused(account, request, CLIENT_ORDER_ID_REUSED)

    def _refused(self, account: str, request: OrderRequest, reason: str) -> OrderAck:
        """The rejection of a request refused before the journal (never sequenced)."""
        return to_ack(
            rejected_record(
                account,
                request.contract,
                request.client_order_id,
                None,
                reason,
                self._state.seq,
                self._seq.clock.now(),
            )
        )

    def submit_orders(self, account: str, requests: Iterable[OrderRequest]) -> list[OrderAck]:
        """Enter many orders of ``account`` in one journal batch (acks in order).

        Unlike ``submit_batch``, a request that cannot become a command raises (nothing is sent).
        """
        batch = [(account, request) for request in requests]
        with self._lock:
            for _, request in batch:
                command = to_new_order(self._state, account, request)
                if isinstance(command, str):
                    raise InvalidParameterError("request", request, f"valid ({command})")
            return self.submit_batch(batch)

    def cancel_order(self, account: str, order_id: int) -> OrderAck:
        """Cancel one of the caller's orders; another account's is refused (never cancelled)."""
        with self._lock:
            record = self._owned(account, order_id)
            if isinstance(record, OrderAck):
                return record
            return order_ack_of(self._one(CancelOrder(EPOCH, record.contract, account, order_id)))

    def _owned(self, account: str, order_id: int) -> OrderRecord | OrderAck:
        """The record of ``account``'s order ``order_id``, or the refusal (never journalled)."""
        record = self._state.orders.by_id.get(order_id)
        if record is not None and record.account == account:
            return record
        reason = "UNKNOWN_ORDER" if record is None else "NOT_OWNER"
        ts = self._seq.clock.now()
        return to_ack(rejected_record(account, None, None, order_id, reason, self._state.seq, ts))

    def replace_order(
        self, account: str, order_id: int, *, quantity: int, price: Decimal | None = None
    ) -> OrderAck:
        """Change one of the caller's open orders: new open ``quantity``, new ``price`` if given.

        Priority is kept only for a pure size decrease (the engine's rule); a larger size must
        pass the margin check like a new order. Another account's order is refused, never touched.
        """
        with self._lock:
            record = self._owned(account, order_id)
            if isinstance(record, OrderAck):
                return record
            ticks: int | str | None = record.price_ticks
            if price is not None:
                ticks = price_to_ticks(price, self._state.tick_size(record.contract))
            if not isinstance(ticks, int):
                reason = ticks or "PRICE_MISSING"
                ts, seq = self._seq.clock.now(), self._state.seq
                return to_ack(
                    rejected_record(account, record.contract, None, order_id, reason, seq, ts)
                )
            command = ReplaceOrder(EPOCH, record.contract, account, order_id, ticks, quantity)
            return order_ack_of(self._one(command))

    def mass_cancel(self, account: str, contract: str | None = None) -> list[OrderAck]:
        """Cancel every live order of the caller (in ``contract``, or all); one ack per order."""
        with self._lock:
            if account not in self._state.accounts:
                return []
            applied = self._one(MassCancel(EPOCH, account, contract))
        return [
            OrderAck("cancelled", account, e.contract, None, e.order_id, None, 0, applied.seq, e.ts)
            for e in applied.events
            if type(e) is OrderCancelled and e.account == account
        ]

    def order(self, account: str, order_id: int) -> OrderView | None:
        """One of the caller's orders (None for an unknown order or another account's)."""
        with self._lock:
            record = self._state.orders.by_id.get(order_id)
            if record is None or record.account != account:
                return None
            return record.view(self._state.tick_size(record.contract))

    def orders(self, account: str, open_only: bool = True) -> list[OrderView]:
        """The caller's orders, oldest first (only live ones unless ``open_only`` is False)."""
        with self._lock:
            table = self._state.orders
            records = (table.by_id[i] for i in table.by_account.get(account, ()))
            return [
                r.view(self._state.tick_size(r.contract))
                for r in records
                if not open_only or r.status == "open"
            ]

    def orders_page(
        self, account: str, *, open_only: bool, after: int | None, limit: int
    ) -> tuple[list[OrderView], bool]:
        """Up to ``limit`` of the caller's orders with ids after ``after``; and whether more follow.

        The writer is held for one page only (ADR 0657): the account's ids are ascending, so
        the page starts by bisection, and at most ``limit`` views are built.
        """
        if limit < 1:
            raise InvalidParameterError("limit", limit, ">= 1")
        with self._lock:
            table = self._state.orders
            ids = table.by_account.get(account, [])
            start = 0 if after is None else bisect.bisect_right(ids, after)
            page: list[OrderView] = []
            for i in range(start, len(ids)):
                record = table.by_id[ids[i]]
                if open_only and record.status != "open":
                    continue
                if len(page) == limit:
                    return page, True
                page.append(record.view(self._state.tick_size(record.contract)))
            return page, False


def order_ack_of(applied: Applied) -> OrderAck:
    """The ack of an applied order command (orders always ack)."""
    ack = applied.ack
    if ack is None:  # pragma: no cover - orders always ack
        raise InvariantError(f"order command {applied.seq} has no ack")
    return ack
