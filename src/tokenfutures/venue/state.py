"""The venue's state: what the fold (``venue.fold``) grows, and the engine port it runs on.

The state is the engine's ``ExchangeState``, clearing's ``ClearingHouse``, the accounts,
the order records and acks (idempotency), trades, settlements and TPI fixes. It holds no
dispatch: ``venue.fold.evolve`` decides what a command does; ``VenueState.engine`` (one
command) and ``VenueState.engine_run`` (a run of plain orders, ADR 0375) are the only places
a command reaches the matching engine (``exchange.apply_many``), and end of day
(``venue.eod``) runs over that port without knowing this class.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from tokenfutures.clearing.fees import FeeBook
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.margin.live import DEFAULT_LIVE_METHOD
from tokenfutures.clearing.pnl import PnlBook
from tokenfutures.contracts import ContractSpec, product_spec, spec_versions
from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import ExchangeState, Trade, apply_many
from tokenfutures.venue.auctions import Auction
from tokenfutures.venue.orders import AckRecord, OrderTable, to_ack
from tokenfutures.venue.risk import PreTradeRisk
from tokenfutures.venue.views import EndOfDayReport, FixingView, OrderAck, SettlementView

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
    """Everything the venue knows; grown only by ``venue.fold`` (the sequencer owns it)."""

    #: The live initial-margin method (``clearing.margin.live``); a class default, so
    #: snapshots written before it existed decode with it (ADR 0407).
    margin_method: str = DEFAULT_LIVE_METHOD
    #: Bid window of the default auctions opened from now on, seconds of the venue's clock
    #: (ADR 0408's hour until a ``SetAuctionWindow``; a class default, like ``margin_method``).
    auction_window_s: int = 3600

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
        self.eod_reports: list[EndOfDayReport] = []
        self.pnl = PnlBook()
        self.fees = FeeBook()
        self.auctions: dict[int, Auction] = {}
        #: Each account's default self-trade prevention (ADR 0432); absent = ``"none"``.
        self.account_stp: dict[str, str] = {}

    # --- queries --------------------------------------------------------------------------

    def spec_of(self, contract: str) -> ContractSpec:
        """The spec version a listed contract was listed under (ADR 0306), recognised by the
        tick and lot it was cleared with (no separate state: snapshots stay as they are)."""
        product = self.products[contract]
        cleared = self.house.contracts[contract]
        for version in spec_versions(product):
            spec = product_spec(product, version)
            if (spec.tick_size, Decimal(spec.lot_multiplier)) == (
                cleared.tick_size,
                cleared.lot_multiplier,
            ):
                return spec
        raise InvariantError(f"{contract}: no {product} spec with its tick and lot")

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

    # --- the engine port ------------------------------------------------------------------

    def engine(self, command: Any) -> list[Any]:
        """Run ``command`` through the matching engine, then fold its events.

        ``exchange.apply_many`` is the engine's only loop; this hands it one command because
        that order's margin check needed the fills of the command before it (ADR 0613; runs
        whose checks cannot depend on them go through ``engine_run``, ADR 0375). A command
        whose time goes backwards raises the engine's ``InvariantError``.
        """
        events = apply_many(self.exchange, (command,))[0]
        if events and self.orders.fold(events):
            self.clear([e for e in events if type(e) is Trade])
        return events

    def engine_run(self, commands: list[Any]) -> list[list[Any]]:
        """Run a run of plain orders and cancels (``venue.runs``) through the engine in one
        ``apply_many`` call, fold their events, then clear all their trades at once."""
        events_of = apply_many(self.exchange, commands)
        every = [event for events in events_of for event in events]
        if self.orders.fold(every):
            self.clear([e for e in every if type(e) is Trade])
        return events_of

    def clear(self, trades: list[Trade]) -> None:
        """Clear one command's trades: positions, fees accrued, each touched account's gross,
        trades kept.

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
        self.fees.accrue(trades)
        self.trade_pnl().apply_fills(trades)
        moved = self.risk.moved
        for (account, contract), held in before.items():
            moved(account, contract, held, position(account, contract))
        kept_by_contract = self.trades
        for trade in trades:
            kept = kept_by_contract.get(trade.contract)
            if kept is None:
                kept = kept_by_contract[trade.contract] = deque(maxlen=TRADES_KEPT)
            kept.append(trade)

    def trade_pnl(self) -> PnlBook:
        """Trade-price P&L of every position (made on first use: older snapshots lack it, and
        P&L of their trades before the snapshot is then not known)."""
        book: PnlBook | None = self.__dict__.get("pnl")
        if book is None:
            book = self.__dict__["pnl"] = PnlBook()
        return book

    def follow_clearing(self) -> None:
        """Bring trade-price P&L up to clearing's own moves: default close-outs and final
        settlement (ADR 0433). Run by ``count_ledger_entries``, which every command that
        posts to the ledger (as close-outs and final settlement do) calls."""
        self.trade_pnl().follow(self.house.book.take_moves())

    def reprice(self) -> None:
        """Rebuild the pre-trade margin method at the current marks."""
        self.risk.rebuild(
            self.house, self.prices_for_margin(), self.settlement_history, self.margin_method
        )

    def count_ledger_entries(self, seq: int) -> None:
        """Note the journal seq of each clearing ledger entry ``seq`` posted (for the store)."""
        self.follow_clearing()
        posted = self.house.ledger.entry_count() - len(self.ledger_seqs)
        self.ledger_seqs.extend([seq] * posted)
