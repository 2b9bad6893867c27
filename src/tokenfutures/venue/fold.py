"""The venue's fold: ``evolve(state, seq, command) -> Applied``, deterministic and pure of I/O.

The decide/evolve split of an event-sourced system: the services decide what to journal
(``venue.services``), the sequencer journals it (``venue.sequencer``), and this fold applies
each journalled command to the state by its type (one ``match``). Time comes only from the
command's ``ts`` (stamped by the sequencer), so replaying the journal rebuilds the same state
and the same state hash. The matching engine is reached only through ``VenueState.engine``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tokenfutures.contracts import parse_symbol, product_spec
from tokenfutures.core.errors import InvariantError
from tokenfutures.core.money import from_micros
from tokenfutures.exchange import (
    CancelOrder,
    ContractListed,
    ListContract,
    MassCancel,
    NewOrder,
    ReplaceOrder,
)
from tokenfutures.venue import auctions
from tokenfutures.venue.commands import (
    BidAuction,
    CloseAuction,
    CreateAccount,
    Deposit,
    EndOfDay,
    FixIndex,
    ListInstrument,
    SetAccountSettings,
    SetAuctionWindow,
    SetMarginMethod,
    VenueCommand,
)
from tokenfutures.venue.eod import end_of_day
from tokenfutures.venue.index_feed import revision_view
from tokenfutures.venue.instruments import cleared_contract, instrument_rules
from tokenfutures.venue.orders import order_ack, rejected_record
from tokenfutures.venue.runs import evolve_run, run_length
from tokenfutures.venue.state import Applied, VenueState
from tokenfutures.venue.views import (
    ACCOUNT_IN_DEFAULT,
    INSUFFICIENT_MARGIN,
    UNKNOWN_ACCOUNT,
)

#: ``Applied`` built without its generated ``__new__`` wrapper (the order path is hot).
_applied = tuple.__new__


def evolve(state: VenueState, seq: int, command: VenueCommand) -> Applied:
    """Apply the command journalled at ``seq``; raises ``InvariantError`` on a broken invariant."""
    if seq != state.seq + 1:
        raise InvariantError(f"command seq {seq} does not follow {state.seq}")
    state.seq = seq
    quiet = _QUIET.get(type(command))
    if quiet is not None:  # commands that change the state without engine events
        quiet(state, seq, command)
        return Applied(seq, None, [])
    match command:
        case NewOrder():
            return _new_order(state, seq, command)
        case ReplaceOrder():
            return _replace(state, seq, command)
        case CancelOrder() | MassCancel():
            events = state.engine(command)
            ack = order_ack(command, events, seq, command.ts, command.account, command.contract)
            return _applied(Applied, (seq, ack, events, None))
        case CreateAccount() | Deposit() | BidAuction() | CloseAuction():
            _clearing(state, command)
            state.count_ledger_entries(seq)
        case ListInstrument():
            return Applied(seq, None, _list(state, command))
        case EndOfDay():
            report, events = end_of_day(state, state.engine, command)
            state.count_ledger_entries(seq)
            state.eod_reports.append(report)
            return Applied(seq, None, events, report)
        case _:  # session commands: the engine alone
            return Applied(seq, None, state.engine(command))
    return Applied(seq, None, [])


def evolve_many(state: VenueState, commands: Sequence[VenueCommand]) -> list[Applied]:
    """``[evolve(state, seq + 1, c1), evolve(state, seq + 2, c2), ...]`` (one journal batch),
    runs of plain orders folded through one engine call each (``venue.runs``, ADR 0375)."""
    out: list[Applied] = []
    start, end = 0, len(commands)
    while start < end:
        length = run_length(state, commands, start)
        if length:
            out += evolve_run(state, list(commands[start : start + length]))
            start += length
        else:
            out.append(evolve(state, state.seq + 1, commands[start]))
            start += 1
    return out


def _new_order(state: VenueState, seq: int, command: NewOrder) -> Applied:
    account, contract, ts = command.account, command.contract, command.ts
    key = (account, command.client_order_id)
    reason = None
    if account not in state.accounts:
        reason = UNKNOWN_ACCOUNT
    elif account in state.house.defaulted:
        reason = ACCOUNT_IN_DEFAULT
    elif command.quantity > 0 and not state.risk.accepts(
        state.house, account, contract, command.quantity * int(command.side)
    ):
        reason = INSUFFICIENT_MARGIN
    if reason is not None:
        ack = rejected_record(account, contract, key[1], None, reason, seq, ts)
        state.acks[key] = ack
        return Applied(seq, ack, [])
    events = state.engine(command)
    ack = order_ack(command, events, seq, ts, account, contract)
    state.acks[key] = ack
    return _applied(Applied, (seq, ack, events, None))


def _replace(state: VenueState, seq: int, command: ReplaceOrder) -> Applied:
    """A replace that raises an order's open size passes the same margin check as a new order.

    Only the account's own, open orders are checked; anything else is left to the engine,
    which rejects it with its own reason (unknown order, not owner, ...).
    """
    account, contract = command.account, command.contract
    record = state.orders.by_id.get(command.order_id)
    if (
        record is not None
        and record.account == account
        and command.quantity > record.open
        and not state.risk.accepts(
            state.house, account, record.contract, command.quantity * int(record.side)
        )
    ):
        ack = rejected_record(
            account, contract, None, command.order_id, INSUFFICIENT_MARGIN, seq, command.ts
        )
        return Applied(seq, ack, [])
    events = state.engine(command)
    return Applied(seq, order_ack(command, events, seq, command.ts, account, contract), events)


def _clearing(
    state: VenueState, command: CreateAccount | Deposit | BidAuction | CloseAuction
) -> None:
    """Accounts, collateral and default auctions: clearing's commands (ledger entries)."""
    match command:
        case CreateAccount():
            _create_account(state, command)
        case Deposit():
            _deposit(state, command)
        case BidAuction():
            auctions.bid(
                state, command.auction_id, command.member, command.amount_micros, command.ts
            )
        case CloseAuction():
            auctions.close_by_id(state, command.auction_id, command.ts)


def _create_account(state: VenueState, command: CreateAccount) -> None:
    if command.account in state.accounts:
        return  # the service refuses duplicates before journalling; replay stays total
    house, member = state.house, command.member
    if member is not None and member not in house.members:
        house.admit_member(member)
    if member is not None and member != command.account:
        house.admit_client(command.account, member)
    state.accounts[command.account] = member
    if command.deposit_micros > 0:
        house.deposit(command.account, from_micros(command.deposit_micros))
    state.risk.forget_equity()


def _deposit(state: VenueState, command: Deposit) -> None:
    amount = from_micros(abs(command.amount_micros))
    if command.amount_micros > 0:
        state.house.deposit(command.account, amount)
    elif command.amount_micros < 0:
        state.house.withdraw(command.account, amount)
    state.risk.forget_equity()


def _list(state: VenueState, command: ListInstrument) -> list[Any]:
    symbol = parse_symbol(command.symbol)
    spec = product_spec(symbol.product, command.spec_version)
    rules = instrument_rules(spec, symbol, command.prior_settlement_ticks)
    events = state.engine(ListContract(command.ts, rules))
    if events and type(events[0]) is ContractListed:
        state.products[rules.symbol] = spec.product
        state.house.contracts[rules.symbol] = cleared_contract(spec, symbol)
        state.reprice()
    return events


def _set_margin_method(state: VenueState, _seq: int, command: SetMarginMethod) -> None:
    state.margin_method = command.method  # checked by the service before journalling
    state.reprice()


def _set_account(state: VenueState, _seq: int, command: SetAccountSettings) -> None:
    if command.account in state.accounts:  # the service refuses others; replay stays total
        state.account_stp[command.account] = command.self_trade_prevention


def _fix(state: VenueState, seq: int, command: FixIndex) -> None:
    """Record a fix as the day's next revision; earlier revisions stay (ADR 0232)."""
    view = revision_view(seq, command, state.fixes.get(command.day))
    state.fixes[command.day] = view
    state.fix_revisions.setdefault(command.day, []).append(view)


def _set_auction_window(state: VenueState, seq: int, command: SetAuctionWindow) -> None:
    """The bid window of default auctions opened from now on (ADR 0620)."""
    if command.seconds > 0:  # the service refuses others before journalling
        state.auction_window_s = command.seconds


#: Commands applied to the state alone (no engine events, no ledger entries), by type.
_QUIET: dict[type, Callable[[VenueState, int, Any], None]] = {
    FixIndex: _fix,
    SetMarginMethod: _set_margin_method,
    SetAccountSettings: _set_account,
    SetAuctionWindow: _set_auction_window,
}
