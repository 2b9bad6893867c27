"""``Venue``: the running market's facade (what the API, the dashboard and simulations call).

Every state change goes through the sequencer (journal first, then apply); queries read
the state under the same writer lock, so they see whole commands only. Return values are
the frozen views of ``venue.views`` (``to_dict()`` gives JSON).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from tokenfutures.core.clock import Clock
from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.core.money import to_micros
from tokenfutures.exchange import (
    CancelOrder,
    MassCancel,
    OrderCancelled,
    ReplaceOrder,
)
from tokenfutures.index.publication import PublishedFix
from tokenfutures.venue import index_feed, queries
from tokenfutures.venue.commands import (
    CreateAccount,
    Deposit,
    EndOfDay,
    FixIndex,
    VenueCommand,
)
from tokenfutures.venue.listing import (
    closing_commands,
    listing_commands,
    opening_commands,
    symbols_trading,
)
from tokenfutures.venue.marketdata import Callback, MarketDataHub
from tokenfutures.venue.orders import OrderRecord, rejected_ack, to_ack
from tokenfutures.venue.ports import Store
from tokenfutures.venue.recovery import recover
from tokenfutures.venue.requests import price_to_ticks, to_new_order
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.state import Applied
from tokenfutures.venue.views import (
    BookView,
    ContractView,
    EndOfDayReport,
    FixingView,
    LedgerLine,
    MarginView,
    OrderAck,
    OrderRequest,
    OrderView,
    PositionView,
    SettlementView,
    TradeView,
    jsonable,
)

if TYPE_CHECKING:
    from tokenfutures.venue.schedule import FixProvider

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_DEPOSIT = Decimal(1_000_000)


class Venue:
    """The venue: a sequencer over a store, a clock and the market-data hub.

    Thread-safety: one re-entrant lock (``Sequencer.writer``) serialises the writer and the
    queries; commands queued while a batch commits are committed together (group commit).
    """

    def __init__(self, sequencer: Sequencer) -> None:
        self._seq = sequencer
        self._state = sequencer.state
        self._hub = sequencer.hub
        self._lock = sequencer.writer
        self._schedule_done: datetime | None = None

    @classmethod
    def open(
        cls,
        store: Store,
        clock: Clock,
        *,
        snapshot_every: int = 10_000,
        record_events: bool = True,
    ) -> Venue:
        """Recover the venue from ``store``: latest snapshot, then replay of the journal after it."""
        if snapshot_every <= 0:
            raise InvalidParameterError("snapshot_every", snapshot_every, "positive")
        state, unrecorded = recover(store)
        sequencer = Sequencer(
            store,
            clock,
            state,
            MarketDataHub(),
            snapshot_every=snapshot_every,
            record_events=record_events,
        )
        if len(state.ledger_seqs) > sequencer.ledger_mirrored:
            sequencer.mirror_ledger()
        if record_events and unrecorded:
            sequencer.record(unrecorded)
            sequencer.flush_events()
        return cls(sequencer)

    # --- plumbing -------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The store behind the venue."""
        return self._seq.store

    @property
    def seq(self) -> int:
        """Sequence number of the last applied command."""
        return self._state.seq

    def execute(self, commands: Sequence[VenueCommand]) -> list[Applied]:
        """Journal and apply raw commands (their ``ts`` is stamped by the sequencer)."""
        return self._seq.execute(commands)

    def _one(self, command: VenueCommand) -> Applied:
        return self._seq.execute([command])[0]

    def snapshot(self) -> str:
        """Take a snapshot now; returns its state hash."""
        return self._seq.snapshot().state_hash

    def sync_event_log(self) -> None:
        """Write the buffered events now: the event log then holds every applied command's."""
        self._seq.sync_event_log()

    def state_hash(self) -> str:
        """Hash of the whole venue state (equal after a replay of the same journal)."""
        with self._lock:
            return self._state.state_hash()

    def close(self) -> None:
        """Write buffered events, then close the store (the venue must not be used afterwards)."""
        with self._lock:
            try:
                self._seq.sync_event_log()
            finally:
                self._seq.store.close()
        gc.unfreeze()  # the frozen state goes back to the collector (ADR 0611)

    # --- contracts and the trading day ----------------------------------------------------

    def list_contracts(
        self,
        day: date,
        *,
        products: Sequence[str] = ("SIT",),
        reference_price: Decimal | None = None,
    ) -> list[ContractView]:
        """List, start and open the contracts of ``products`` trading on ``day``; return them.

        A new contract's first prior settlement is its nearest listed neighbour's, else the
        latest TPI fix, else ``reference_price`` (ADR 0605).
        """
        with self._lock:
            symbols = symbols_trading(products, day)
            for make in (listing_commands, opening_commands):
                commands = make(self._state, symbols, reference_price)
                if commands:
                    self.execute(commands)
            return [queries.contract_view(self._state, s) for s in symbols]

    def contracts(self) -> list[ContractView]:
        """Every contract the venue has listed, expired ones included."""
        with self._lock:
            return [queries.contract_view(self._state, s) for s in sorted(self._state.products)]

    def end_of_day(self, day: date) -> EndOfDayReport:
        """Close open markets, fix settlement prices, post VM and calls, settle expiries."""
        with self._lock:
            closing = closing_commands(self._state)
            applied = self.execute([*closing, EndOfDay(_EPOCH, day)])
            report = applied[-1].report
            if report is None:  # pragma: no cover - EndOfDay always reports
                raise InvalidParameterError("day", day, "a day the venue could settle")
            return report

    def run_schedule(
        self,
        until: datetime,
        *,
        products: Sequence[str] = ("SIT",),
        fixer: FixProvider | None = None,
    ) -> list[str]:
        """Run the trading-day steps due up to ``until`` (see ``venue.schedule``); names them.

        ``fixer`` supplies the day's TPI level at the settlement time (no fix step without it).
        """
        from tokenfutures.venue.schedule import run_due

        with self._lock:
            done, self._schedule_done = run_due(
                self, self._schedule_done, until, products=products, fixer=fixer
            )
            return done

    # --- accounts ---------------------------------------------------------------------------

    def create_account(
        self, account_id: str, *, member: str | None = None, deposit: Decimal = DEFAULT_DEPOSIT
    ) -> str:
        """Open ``account_id`` with a first deposit; returns a new API key (shown once)."""
        if not account_id or len(account_id) > 64 or not account_id.isprintable():
            raise InvalidParameterError("account_id", account_id, "1 to 64 printable characters")
        if deposit < 0:
            raise InvalidParameterError("deposit", deposit, ">= 0")
        with self._lock:
            if account_id in self._state.accounts:
                raise InvalidParameterError("account_id", account_id, "a new account id")
            self._one(CreateAccount(_EPOCH, account_id, member, to_micros(deposit)))
            return self._seq.store.api_keys.issue(account_id)

    def issue_api_key(self, account_id: str) -> str:
        """Another API key for an existing account."""
        with self._lock:
            if account_id not in self._state.accounts:
                raise InvalidParameterError("account_id", account_id, "an existing account")
            return self._seq.store.api_keys.issue(account_id)

    def authenticate(self, api_key: str) -> str | None:
        """The account of a valid API key, else None."""
        return self._seq.store.api_keys.authenticate(api_key)

    def accounts(self) -> list[str]:
        """Every account id, sorted."""
        with self._lock:
            return sorted(self._state.accounts)

    def deposit(self, account: str, amount: Decimal) -> MarginView:
        """Add ``amount`` to the account's collateral (negative withdraws); returns its margin."""
        with self._lock:
            queries.require_account(self._state, account)
            if amount < 0 and -amount > queries.margin_view(self._state, account).excess:
                raise InvalidParameterError("amount", amount, "a withdrawal within the excess")
            if amount != 0:
                self._one(Deposit(_EPOCH, account, to_micros(amount)))
            return queries.margin_view(self._state, account)

    # --- orders -------------------------------------------------------------------------------

    def submit_order(self, account: str, request: OrderRequest) -> OrderAck:
        """Enter an order; a rejection is an ack with ``status == "rejected"`` and a reason."""
        return self.submit_batch([(account, request)])[0]

    def submit_batch(self, orders: Sequence[tuple[str, OrderRequest]]) -> list[OrderAck]:
        """Enter orders of any accounts as one journal batch (one group commit); acks in order.

        Each order gets exactly the ack ``submit_order`` would give it alone: a retry of a known
        (account, client order id) gets its first ack, a request that cannot become a command
        (unknown account, price off tick) a rejection that is never journalled.
        """
        acks: list[OrderAck | None] = []
        commands: list[VenueCommand] = []
        with self._lock:
            state = self._state
            for account, request in orders:
                previous = state.acks.get((account, request.client_order_id))
                if previous is not None:
                    acks.append(to_ack(previous))
                    continue
                command = to_new_order(state, account, request)
                if isinstance(command, str):
                    acks.append(self._refused(account, request, command))
                    continue
                acks.append(None)
                commands.append(command)
        if not commands:
            return [ack for ack in acks if ack is not None]
        applied = iter(self._seq.execute(commands))
        return [ack if ack is not None else _order_ack(next(applied)) for ack in acks]

    def _refused(self, account: str, request: OrderRequest, reason: str) -> OrderAck:
        """The rejection of a request refused before the journal (never sequenced)."""
        return rejected_ack(
            account,
            request.contract,
            request.client_order_id,
            None,
            reason,
            self._state.seq,
            self._seq.clock.now(),
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
            return _order_ack(self._one(CancelOrder(_EPOCH, record.contract, account, order_id)))

    def _owned(self, account: str, order_id: int) -> OrderRecord | OrderAck:
        """The record of ``account``'s order ``order_id``, or the refusal (never journalled)."""
        record = self._state.orders.by_id.get(order_id)
        if record is not None and record.account == account:
            return record
        reason = "UNKNOWN_ORDER" if record is None else "NOT_OWNER"
        ts = self._seq.clock.now()
        return rejected_ack(account, None, None, order_id, reason, self.seq, ts)

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
                ts = self._seq.clock.now()
                return rejected_ack(account, record.contract, None, order_id, reason, self.seq, ts)
            command = ReplaceOrder(_EPOCH, record.contract, account, order_id, ticks, quantity)
            return _order_ack(self._one(command))

    def mass_cancel(self, account: str, contract: str | None = None) -> list[OrderAck]:
        """Cancel every live order of the caller (in ``contract``, or all); one ack per order."""
        with self._lock:
            if account not in self._state.accounts:
                return []
            applied = self._one(MassCancel(_EPOCH, account, contract))
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

    # --- market data ------------------------------------------------------------------------

    def book(self, contract: str, depth: int = 10) -> BookView:
        """Best ``depth`` price levels each side, last trade, phase and venue seq."""
        with self._lock:
            return queries.book_view(self._state, contract, depth)

    def trades(self, contract: str, limit: int = 100) -> list[TradeView]:
        """Recent trades of ``contract``, newest first."""
        with self._lock:
            return queries.trade_views(self._state, contract, limit)

    def settlements(self, contract: str) -> list[SettlementView]:
        """Daily and final settlement prices of ``contract``, oldest first."""
        with self._lock:
            queries.require_contract(self._state, contract)
            return list(self._state.settlements.get(contract, ()))

    def subscribe_market_data(self, callback: Callback) -> Callable[[], None]:
        """Snapshot now, then every delta with a gap-free seq; returns the unsubscribe function."""
        with self._lock:
            sub = self._hub.subscribe(callback, self._state.exchange.contracts)
        return lambda: self._unsubscribe(sub)

    def subscribe_private(self, account: str, callback: Callback) -> Callable[[], None]:
        """The account's order and fill events (own seq); returns the unsubscribe function."""
        with self._lock:
            sub = self._hub.subscribe_private(account, callback)
        return lambda: self._unsubscribe(sub)

    def subscribe_private_snapshot(
        self, account: str, callback: Callback
    ) -> tuple[list[OrderView], Callable[[], None]]:
        """The account's open orders and a subscription to its events from exactly that point.

        Both are taken under the writer lock, so no order event falls between the snapshot and
        the first message (a client can rebuild its open orders without a race).
        """
        with self._lock:
            return self.orders(account, open_only=True), self.subscribe_private(account, callback)

    def _unsubscribe(self, subscriber: int) -> None:
        with self._lock:
            self._hub.unsubscribe(subscriber)

    # --- clearing ---------------------------------------------------------------------------

    def positions(self, account: str) -> list[PositionView]:
        """Non-zero net positions of ``account`` with their last marks."""
        with self._lock:
            return queries.position_views(self._state, account)

    def margin(self, account: str) -> MarginView:
        """Collateral, eq.-7 requirement and open margin call of ``account``."""
        with self._lock:
            return queries.margin_view(self._state, account)

    def ledger(self, account: str) -> list[LedgerLine]:
        """Postings to the account's collateral, oldest first, with running balances."""
        with self._lock:
            return queries.ledger_lines(self._state, account)

    # --- the index ------------------------------------------------------------------------

    def fix_index(
        self,
        day: date,
        level: Decimal | None,
        *,
        status: str = "fixed",
        audit: Mapping[str, object] | None = None,
    ) -> FixingView:
        """Record a TPI level for ``day`` entered by hand (a published fix: ``ingest_fixing``)."""
        import json

        if level is not None and level <= 0:
            raise InvalidParameterError("level", level, "> 0 or None (withheld)")
        text = json.dumps(jsonable(audit if audit is not None else {}), sort_keys=True)
        command = FixIndex(_EPOCH, day, None if level is None else str(level), status, text)
        with self._lock:
            self._one(command)
            return self._state.fixes[day]

    def ingest_fixing(self, fixing: PublishedFix) -> FixingView:
        """Ingest one published TPI fix with its audit and publication (a new revision if known)."""
        with self._lock:
            self._one(index_feed.fix_command(fixing))
            return self._state.fixes[fixing.day]

    def publish_fixes(self, fixes: Sequence[PublishedFix]) -> int:
        """Ingest the fixes the venue lacks and revisions of changed days, in one journal batch.

        The newest fix carries its full audit, older ones a summary; a day whose published value
        changed (new inputs) gets a new revision, never an overwrite. Returns how many were sent.
        """
        with self._lock:
            todo = index_feed.to_ingest(fixes, self._state.fixes, self._seq.clock.now())
            if todo:
                self.execute(index_feed.ingest_commands(todo))
            return len(todo)

    def index_fixings(
        self, start: date | None = None, end: date | None = None, known_at: datetime | None = None
    ) -> list[FixingView]:
        """TPI fixes in ``[start, end]``, oldest first: current values, or as known at a time."""
        with self._lock:
            days = sorted(self._state.fix_revisions)
            chosen = [
                d for d in days if (start is None or d >= start) and (end is None or d <= end)
            ]
            if known_at is None:
                return [self._state.fixes[d] for d in chosen]
            views = (index_feed.as_known_at(self._state.fix_revisions[d], known_at) for d in chosen)
            return [v for v in views if v is not None]

    def fixing_revisions(self, day: date) -> list[FixingView]:
        """Every recorded revision of the fix of ``day``, oldest first (empty if none)."""
        with self._lock:
            return list(self._state.fix_revisions.get(day, ()))

    def final_settlement_audit(self, contract: str) -> Mapping[str, object] | None:
        """The audit of ``contract``'s final settlement (or why it is not settled yet), else None."""
        with self._lock:
            queries.require_contract(self._state, contract)
            return self._state.final_audits.get(contract)

    def margin_requirements(self) -> dict[str, Decimal]:
        """Initial requirement of every account with positions (for reports)."""
        with self._lock:
            return queries.margin_requirements(self._state)


def _order_ack(applied: Applied) -> OrderAck:
    """The ack of an applied order command (orders always ack)."""
    ack = applied.ack
    if ack is None:  # pragma: no cover - orders always ack
        raise InvariantError(f"order command {applied.seq} has no ack")
    return ack
