"""The trading day: listings, sessions, end of day (settlement, VM, calls, expiries), schedule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from tokenfutures.clearing.margin.live import canonical_method
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.venue import queries
from tokenfutures.venue.commands import EndOfDay, SetMarginMethod
from tokenfutures.venue.listing import (
    closing_commands,
    listing_commands,
    opening_commands,
    symbols_trading,
)
from tokenfutures.venue.schedule import FixProvider, run_due
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.services.auctions import AuctionService
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.venue.services.index import IndexService
from tokenfutures.venue.views import ContractView, EndOfDayReport, SettlementView


class SettlementService(Service):
    """List and open contracts, run end of day, follow the schedule; settlement prices."""

    def __init__(
        self, sequencer: Sequencer, index: IndexService, auctions: AuctionService | None = None
    ) -> None:
        super().__init__(sequencer)
        self._index = index
        self._auctions = auctions or AuctionService(sequencer)
        self.schedule_done: datetime | None = None

    def list_contracts(
        self,
        day: date,
        *,
        products: Sequence[str] = ("SIT",),
        reference_price: Decimal | None = None,
        versions: Mapping[str, str] | None = None,
    ) -> list[ContractView]:
        """List, start and open the contracts of ``products`` trading on ``day``; return them.

        A new contract's first prior settlement is its nearest listed neighbour's, else the
        latest TPI fix, else ``reference_price`` (ADR 0605). New contracts are listed under
        ``versions``' spec version per product, else the product's listed one (ADR 0306).
        """
        with self._lock:
            symbols = symbols_trading(products, day)
            listing = listing_commands(self._state, symbols, reference_price, versions)
            if listing:
                self._seq.execute(listing)
            opening = opening_commands(self._state, symbols)
            if opening:
                self._seq.execute(opening)
            return [queries.contract_view(self._state, s) for s in symbols]

    def contracts(self) -> list[ContractView]:
        """Every contract the venue has listed, expired ones included."""
        with self._lock:
            return [queries.contract_view(self._state, s) for s in sorted(self._state.products)]

    def margin_method(self) -> str:
        """The live initial-margin method in force (ADR 0407, 0431)."""
        with self._lock:
            return self._state.margin_method

    def set_margin_method(self, name: str) -> str:
        """Make ``name`` (or its alias: eq7, span, fhs) the live method; journalled, so a replay
        margins with the same method from the same point. Returns the method in force."""
        method = canonical_method(name)
        with self._lock:
            if method != self._state.margin_method:
                self._one(SetMarginMethod(EPOCH, method))
            return self._state.margin_method

    def ended(self, day: date) -> bool:
        """Whether ``day``'s end of day has run."""
        with self._lock:
            return any(r.day == day for r in self._state.eod_reports)

    def end_of_day(self, day: date) -> EndOfDayReport:
        """Close open markets, fix settlement prices, post VM and calls, settle expiries.

        A day whose end of day has run is refused before anything is journaled: a second run
        would post its variation margin and calls twice. Default auctions whose window has
        passed are closed first, so no defaulted book is settled while the CCP holds it.
        """
        with self._lock:
            if self.ended(day):
                raise InvalidParameterError("day", day, "a day whose end of day has not run yet")
            self._auctions.close_due(self._seq.clock.now())
            closing = closing_commands(self._state)
            applied = self._seq.execute([*closing, EndOfDay(EPOCH, day)])
            self._auctions.announce()  # a default opens an auction (ADR 0622)
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
        versions: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Run the trading-day steps due up to ``until`` (see ``venue.schedule``); names them.

        ``fixer`` supplies the day's TPI level at the settlement time (no fix step without it).
        """
        with self._lock:
            done, self.schedule_done = run_due(
                self,
                self._index,
                self.schedule_done,
                until,
                products=products,
                fixer=fixer,
                versions=versions,
            )
            closed = self._auctions.close_due(until)
            return done + [f"{until.isoformat()} close_auction {i}" for i in closed]

    def reports(self, start: date | None = None, end: date | None = None) -> list[EndOfDayReport]:
        """End-of-day reports (settlements, VM, calls, finals, defaults) in ``[start, end]``."""
        with self._lock:
            return [
                r
                for r in self._state.eod_reports
                if (start is None or r.day >= start) and (end is None or r.day <= end)
            ]

    def resume_schedule(self, after: datetime | None) -> None:
        """Run only the steps after ``after`` from now on (None: from the latest session open).

        A venue (re)started mid-day resumes from its start instant: steps it missed while down
        are not re-run by the schedule (an operator runs ``end_of_day`` for them; ADR 0616).
        """
        with self._lock:
            self.schedule_done = after

    def settlements(self, contract: str) -> list[SettlementView]:
        """Daily and final settlement prices of ``contract``, oldest first."""
        with self._lock:
            queries.require_contract(self._state, contract)
            return list(self._state.settlements.get(contract, ()))

    def final_settlement_audit(self, contract: str) -> Mapping[str, object] | None:
        """The audit of ``contract``'s final settlement (or why it is not settled yet), else None.

        Built in the fold by the journalled end of day, so a replay rebuilds it (ADR 0235).
        """
        with self._lock:
            queries.require_contract(self._state, contract)
            return self._state.final_audits.get(contract)
