"""The venue's state and its fold: ``VenueState.apply(seq, command)`` is deterministic.

The state is the engine's ``ExchangeState``, clearing's ``ClearingHouse``, the accounts,
the order records and acks (idempotency), trades, settlements and TPI fixes. Time comes
only from the command's ``ts`` (stamped by the sequencer), so replaying the journal
rebuilds the same state and the same ``state_hash``.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any, NamedTuple

from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.contracts import ContractSpec, parse_symbol, product_spec
from tokenfutures.core.errors import InvariantError
from tokenfutures.core.money import from_micros
from tokenfutures.exchange import (
    CancelOrder,
    ExchangeState,
    ListContract,
    MassCancel,
    NewOrder,
    OrderAccepted,
    OrderCancelled,
    ReplaceOrder,
    Trade,
    apply,
    state_hash,
)
from tokenfutures.exchange.engine import HANDLERS
from tokenfutures.exchange.session import fire_timers
from tokenfutures.venue.commands import (
    CreateAccount,
    Deposit,
    EndOfDay,
    FixIndex,
    ListInstrument,
    VenueCommand,
)
from tokenfutures.venue.index_feed import revision_view
from tokenfutures.venue.instruments import cleared_contract, instrument_rules
from tokenfutures.venue.orders import AckRecord, OrderTable, order_ack, rejected_record, to_ack
from tokenfutures.venue.risk import PreTradeRisk
from tokenfutures.venue.views import (
    ACCOUNT_IN_DEFAULT,
    INSUFFICIENT_MARGIN,
    UNKNOWN_ACCOUNT,
    EndOfDayReport,
    FixingView,
    OrderAck,
    SettlementView,
)

_new_applied = tuple.__new__

#: Trades kept per contract for ``Venue.trades`` (older ones are in the event log).
TRADES_KEPT = 1000


class Applied(NamedTuple):
    """What one command did: its ack record (order commands), the engine's events, an EOD report."""

    seq: int
    ack_record: AckRecord | None
    events: list[Any]
    report: EndOfDayReport | None = None

    @property
    def ack(self) -> OrderAck | None:
        """The command's ``OrderAck`` (built on demand), or None for other commands."""
        record = self.ack_record
        return None if record is None else to_ack(record)


class VenueState:
    """Everything the venue knows; grown only by ``apply`` (the sequencer owns it)."""

    def __init__(self) -> None:
        self.seq = 0
        self.exchange = ExchangeState()
        self.house = ClearingHouse(contracts={})
        self.risk = PreTradeRisk()
        self.accounts: dict[str, str | None] = {}
        self.acks: dict[tuple[str, str], AckRecord] = {}
        self.orders = OrderTable()
        self.trades: dict[str, deque[Trade]] = {}
        self.settlements: dict[str, list[SettlementView]] = {}
        self.settlement_history: dict[str, list[int]] = {}
        self.fixes: dict[date, FixingView] = {}
        self.fix_revisions: dict[date, list[FixingView]] = {}
        self.final_audits: dict[str, dict[str, Any]] = {}
        self.products: dict[str, str] = {}
        self.ledger_seqs: list[int] = []

    # --- queries --------------------------------------------------------------------------

    def spec_of(self, contract: str) -> ContractSpec:
        """The spec of a listed contract."""
        return product_spec(self.products[contract])

    def tick_size(self, contract: str) -> Decimal:
        """Tick size of a listed contract (one cent when unknown)."""
        cs = self.exchange.contracts.get(contract)
        return cs.rules.tick_size if cs is not None else Decimal("0.01")

    def prices_for_margin(self) -> dict[str, int]:
        """Last mark of each contract, else its prior settlement (the margin method's prices)."""
        prices = {}
        for symbol, cs in self.exchange.contracts.items():
            prices[symbol] = self.house.marks.get(symbol, cs.prior_settlement)
        return prices

    # --- the fold -------------------------------------------------------------------------

    def apply(self, seq: int, command: VenueCommand) -> Applied:
        """Apply the command journalled at ``seq``; raises ``InvariantError`` on a broken invariant."""
        if seq != self.seq + 1:
            raise InvariantError(f"command seq {seq} does not follow {self.seq}")
        self.seq = seq
        kind = type(command)
        if kind is NewOrder:
            return self._order(seq, command)  # type: ignore[arg-type]
        if kind is ReplaceOrder and not self._replace_margined(command):  # type: ignore[arg-type]
            record = rejected_record(
                command.account,  # type: ignore[union-attr]
                command.contract,  # type: ignore[union-attr]
                None,
                command.order_id,  # type: ignore[union-attr]
                INSUFFICIENT_MARGIN,
                seq,
                command.ts,
            )
            return Applied(seq, record, [])
        if kind is CancelOrder or kind is MassCancel or kind is ReplaceOrder:
            events = self._engine(command)
            account: str = command.account  # type: ignore[union-attr]
            contract: str | None = command.contract  # type: ignore[union-attr]
            return Applied(
                seq, order_ack(command, events, seq, command.ts, account, contract), events
            )
        if kind is CreateAccount:
            self._create_account(command)  # type: ignore[arg-type]
            self._count_ledger_entries(seq)
        elif kind is Deposit:
            self._deposit(command)  # type: ignore[arg-type]
            self._count_ledger_entries(seq)
        elif kind is ListInstrument:
            return Applied(seq, None, self._list(command))  # type: ignore[arg-type]
        elif kind is FixIndex:
            self._fix(seq, command)  # type: ignore[arg-type]
        elif kind is EndOfDay:
            from tokenfutures.venue.eod import end_of_day

            report, events = end_of_day(self, command)  # type: ignore[arg-type]
            self._count_ledger_entries(seq)
            return Applied(seq, None, events, report)
        else:
            return Applied(seq, None, self._engine(command))
        return Applied(seq, None, [])

    def apply_many(
        self,
        commands: Sequence[VenueCommand],
        keys: Sequence[tuple[str, str] | None] | None = None,
    ) -> list[Applied]:
        """``[apply(seq + 1, c), apply(seq + 2, c2), ...]`` with the order path in one loop.

        Orders and cancels of known, non-defaulted accounts that pass the margin check, with
        no engine timer due and time not going backwards, run inline (locals hoisted, as in
        ``exchange.apply_many``); every other command goes through ``apply`` unchanged.
        ``keys`` (the journal batch's, aligned with ``commands``) are each order's
        ``(account, client order id)``, reused as its ack's key instead of a new tuple.
        """
        out: list[Applied] = []
        keep = out.append
        exchange, handlers, fold = self.exchange, HANDLERS, self.orders.fold
        accounts, defaulted, acks = self.accounts, self.house.defaulted, self.acks
        accepts, house = self.risk.accepts, self.house
        accepted, cancelled = self.orders.accepted, self.orders.cancelled
        if keys is not None and len(keys) != len(commands):
            raise InvariantError(f"{len(keys)} journal keys for {len(commands)} commands")
        c: Any
        key: Any
        for c, key in zip(commands, repeat(None) if keys is None else keys, strict=False):
            kind = type(c)
            ts = c[0]
            last, timers = exchange.last_ts, exchange.timers
            if (
                (kind is not NewOrder and kind is not CancelOrder)
                or (last is not None and ts < last)
                or (timers and timers[0][0] <= ts)
            ):
                keep(self.apply(self.seq + 1, c))
                continue
            account, contract = c.account, c.contract
            if kind is NewOrder:
                quantity = c.quantity
                if (
                    account not in accounts
                    or account in defaulted
                    or (quantity > 0 and not accepts(house, account, contract, quantity * c.side))
                ):
                    keep(self.apply(self.seq + 1, c))  # a rejection: the general path
                    continue
            self.seq = seq = self.seq + 1
            exchange.last_ts = ts
            events: list[Any] = []
            handlers[kind](exchange, c, events)
            first = events[0] if len(events) == 1 else None
            if (
                type(first) is OrderAccepted
                and kind is NewOrder
                and first.client_order_id == c.client_order_id
            ):  # a resting order, nothing else happened: order_ack's answer, spelt out
                accepted(first)
                coid, order_id = c.client_order_id, first.order_id
                ack: AckRecord = ("accepted", account, contract, coid, order_id, None, 0, seq, ts)
            elif type(first) is OrderCancelled and kind is CancelOrder:
                cancelled(first)  # a plain cancel: order_ack's answer, spelt out
                ack = ("cancelled", account, contract, None, c.order_id, None, 0, seq, ts)
            else:
                if events and fold(events):
                    self._clear([e for e in events if type(e) is Trade])
                ack = order_ack(c, events, seq, ts, account, contract)
            if kind is NewOrder:
                acks[(account, c.client_order_id) if key is None else key] = ack
            keep(_new_applied(Applied, (seq, ack, events, None)))
        return out

    def _count_ledger_entries(self, seq: int) -> None:
        """Note the journal seq of each clearing ledger entry ``seq`` posted (for the store)."""
        posted = len(self.house.ledger.journal) - len(self.ledger_seqs)
        self.ledger_seqs.extend([seq] * posted)

    def _order(self, seq: int, command: NewOrder) -> Applied:
        account, contract, ts = command.account, command.contract, command.ts
        key = (account, command.client_order_id)
        if account not in self.accounts:
            ack = rejected_record(account, contract, key[1], None, UNKNOWN_ACCOUNT, seq, ts)
            self.acks[key] = ack
            return Applied(seq, ack, [])
        if account in self.house.defaulted:
            ack = rejected_record(account, contract, key[1], None, ACCOUNT_IN_DEFAULT, seq, ts)
            self.acks[key] = ack
            return Applied(seq, ack, [])
        signed = command.quantity * int(command.side)
        if command.quantity > 0 and not self.risk.accepts(self.house, account, contract, signed):
            ack = rejected_record(account, contract, key[1], None, INSUFFICIENT_MARGIN, seq, ts)
            self.acks[key] = ack
            return Applied(seq, ack, [])
        events = self._engine(command)
        ack = order_ack(command, events, seq, ts, account, contract)
        self.acks[key] = ack
        return _new_applied(Applied, (seq, ack, events, None))  # hot path: no __new__ wrapper

    def _replace_margined(self, command: ReplaceOrder) -> bool:
        """A replace that raises an order's open size passes the same margin check as a new order.

        Only the account's own, open orders are checked; anything else is left to the engine,
        which rejects it with its own reason (unknown order, not owner, ...).
        """
        record = self.orders.by_id.get(command.order_id)
        if record is None or record.account != command.account or command.quantity <= record.open:
            return True
        signed = command.quantity * int(record.side)
        return self.risk.accepts(self.house, command.account, record.contract, signed)

    def _engine(self, command: Any) -> list[Any]:
        """Run ``command`` through the matching engine, then fold its events.

        The body of ``exchange.apply`` inlined (the batch loop of ``exchange.apply_many``, one
        command at a time: each order's margin check needs the fills before it); a command
        whose time goes backwards is handed to ``apply``, which raises its ``InvariantError``.
        """
        exchange = self.exchange
        ts = command[0]
        last = exchange.last_ts
        if last is not None and ts < last:
            apply(exchange, command)
        exchange.last_ts = ts
        events: list[Any] = []
        timers = exchange.timers
        if timers and timers[0][0] <= ts:
            fire_timers(exchange, ts, events)
        HANDLERS[type(command)](exchange, command, events)
        if events and self.orders.fold(events):
            self._clear([e for e in events if type(e) is Trade])
        return events

    def fold(self, events: list[Any]) -> None:
        """Fold engine events into orders, clearing, trades and settlement prices."""
        if self.orders.fold(events):
            self._clear([e for e in events if type(e) is Trade])

    def _clear(self, trades: list[Trade]) -> None:
        """Clear one command's trades: positions, each touched account's gross, trades kept.

        The positions are read before and after the whole command's fills, so the margin
        fast path follows one move per (account, contract), not one per trade.
        """
        book, house = self.house.book, self.house
        position = book.position
        before: dict[tuple[str, str], int] = {}
        for trade in trades:
            contract = trade.contract
            for account in (trade.buyer, trade.seller):
                if (account, contract) not in before:
                    before[(account, contract)] = position(account, contract)
        house.apply_fills(trades)
        moved = self.risk.moved
        for (account, contract), held in before.items():
            moved(account, contract, held, position(account, contract))
        kept_by_contract = self.trades
        for trade in trades:
            kept = kept_by_contract.get(trade.contract)
            if kept is None:
                kept = kept_by_contract[trade.contract] = deque(maxlen=TRADES_KEPT)
            kept.append(trade)

    def _create_account(self, command: CreateAccount) -> None:
        if command.account in self.accounts:
            return  # the service refuses duplicates before journalling; replay stays total
        member = command.member
        if member is not None and member not in self.house.members:
            self.house.admit_member(member)
        if member is not None and member != command.account:
            self.house.admit_client(command.account, member)
        self.accounts[command.account] = member
        if command.deposit_micros > 0:
            self.house.deposit(command.account, from_micros(command.deposit_micros))
        self.risk.forget_equity()

    def _deposit(self, command: Deposit) -> None:
        amount = from_micros(abs(command.amount_micros))
        if command.amount_micros > 0:
            self.house.deposit(command.account, amount)
        elif command.amount_micros < 0:
            self.house.withdraw(command.account, amount)
        self.risk.forget_equity()

    def _list(self, command: ListInstrument) -> list[Any]:
        symbol = parse_symbol(command.symbol)
        spec = product_spec(symbol.product)
        rules = instrument_rules(spec, symbol, command.prior_settlement_ticks)
        events = self._engine(ListContract(command.ts, rules))
        if events and type(events[0]).__name__ == "ContractListed":
            self.products[rules.symbol] = spec.product
            self.house.contracts[rules.symbol] = cleared_contract(spec, symbol)
            self.reprice()
        return events

    def reprice(self) -> None:
        """Rebuild the pre-trade margin method at the current marks."""
        self.risk.rebuild(self.house, self.prices_for_margin(), self.settlement_history)

    def _fix(self, seq: int, command: FixIndex) -> None:
        """Record a fix as the day's next revision; earlier revisions stay (ADR 0232)."""
        view = revision_view(seq, command, self.fixes.get(command.day))
        self.fixes[command.day] = view
        self.fix_revisions.setdefault(command.day, []).append(view)

    # --- hashing --------------------------------------------------------------------------

    def state_hash(self) -> str:
        """SHA-256 over the engine's state hash, clearing, accounts, orders, acks and fixes."""
        house = self.house
        canonical = [
            self.seq,
            state_hash(self.exchange),
            sorted([str(a), b] for a, b in house.ledger.balances_micros().items()),
            sorted(
                [a, c, house.book.position(a, c)]
                for a in house.book.accounts()
                for c in house.book.contracts()
                if house.book.position(a, c)
            ),
            sorted(house.marks.items()),
            sorted(house.expired),
            sorted(house.defaulted),
            sorted([a, str(c.amount), c.deadline.isoformat()] for a, c in house.calls.items()),
            sorted((a, m or "") for a, m in self.accounts.items()),
            self.orders.hash_rows(),
            sorted([k[0], k[1], a[0], a[4], a[5] or ""] for k, a in self.acks.items()),
            sorted(
                [d.isoformat(), str(f.level), f.status, f.revision] for d, f in self.fixes.items()
            ),
            sorted(self.final_audits.items()),
            sorted(self.settlement_history.items()),
        ]
        text = json.dumps(canonical, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()
