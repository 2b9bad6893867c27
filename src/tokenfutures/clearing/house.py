"""The clearing house's state: contracts, ledger, positions, last marks, open calls, defaults.

A plain container with collateral and default-fund moves; settlement, defaults and final
settlement are functions over it (``settlement``, ``defaults``, ``final``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from tokenfutures.clearing.contract import ClearedContract
from tokenfutures.clearing.fills import Fill
from tokenfutures.clearing.ledger import (
    CAPITAL_ACCOUNT,
    SKIN_ACCOUNT,
    Ledger,
    collateral,
    default_fund,
    external,
    transfer,
)
from tokenfutures.clearing.positions import PositionBook
from tokenfutures.core.errors import InvalidParameterError


@dataclass(frozen=True, slots=True)
class MarginCall:
    """Collateral owed by ``account``: restore equity to ``target`` (initial margin) by ``deadline``."""

    account: str
    amount: Decimal
    target: Decimal
    deadline: datetime


@dataclass
class ClearingHouse:
    """Mutable state of one CCP (owned by the sequencer that folds events into it)."""

    contracts: dict[str, ClearedContract]
    ledger: Ledger = field(default_factory=Ledger)
    book: PositionBook = field(default_factory=PositionBook)
    marks: dict[str, int] = field(default_factory=dict)
    calls: dict[str, MarginCall] = field(default_factory=dict)
    defaulted: set[str] = field(default_factory=set)
    expired: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    clients: dict[str, str] = field(default_factory=dict)

    def admit_member(self, member: str) -> None:
        """Admit a clearing member (it clears its own house account and its clients')."""
        if not member or member in self.clients:
            raise InvalidParameterError("member", member, "a new id that is not a client")
        self.members.add(member)

    def admit_client(self, client: str, member: str) -> None:
        """Admit ``client``, cleared through ``member`` (its risk counts towards the member's)."""
        if member not in self.members:
            raise InvalidParameterError("member", member, "an admitted clearing member")
        if not client or client in self.members:
            raise InvalidParameterError("client", client, "a new id that is not a member")
        self.clients[client] = member

    def member_of(self, account: str) -> str:
        """The clearing member responsible for ``account`` (unregistered accounts clear themselves)."""
        return self.clients.get(account, account)

    def contract(self, symbol: str) -> ClearedContract:
        """The cleared contract ``symbol``, or a ``ValueError`` naming it."""
        try:
            return self.contracts[symbol]
        except KeyError:
            raise InvalidParameterError("contract", symbol, "a cleared contract") from None

    def apply_fills(self, fills: Iterable[Fill]) -> int:
        """Fold trade events into positions (the fast path)."""
        return self.book.apply_fills(fills)

    def equity(self, account: str) -> Decimal:
        """Collateral cash of ``account`` at the CCP (variation margin settled into it)."""
        return self.ledger.balance(collateral(account))

    def deposit(self, account: str, amount: Decimal) -> None:
        """Move cash from the party's bank into its collateral account."""
        _positive("amount", amount)
        self.ledger.post(transfer(external(account), collateral(account), amount, "deposit"))

    def withdraw(self, account: str, amount: Decimal) -> None:
        """Return collateral cash to the party's bank (callers check excess first)."""
        _positive("amount", amount)
        self.ledger.post(transfer(collateral(account), external(account), amount, "withdrawal"))

    def contribute_default_fund(self, member: str, amount: Decimal) -> None:
        """A member pays ``amount`` into its default-fund contribution."""
        _positive("amount", amount)
        self.ledger.post(
            transfer(external(member), default_fund(member), amount, "default-fund contribution")
        )

    def fund_ccp(self, capital: Decimal, skin_in_the_game: Decimal) -> None:
        """Capitalise the CCP and dedicate ``skin_in_the_game`` of it ahead of the fund."""
        _positive("capital", capital)
        if not 0 <= skin_in_the_game <= capital:
            raise InvalidParameterError("skin_in_the_game", skin_in_the_game, "in [0, capital]")
        self.ledger.post(transfer(external("ccp"), CAPITAL_ACCOUNT, capital, "CCP capital"))
        if skin_in_the_game:
            self.ledger.post(
                transfer(CAPITAL_ACCOUNT, SKIN_ACCOUNT, skin_in_the_game, "skin in the game")
            )

    def default_fund_contributions(self) -> Mapping[str, Decimal]:
        """Each member's current default-fund contribution."""
        return {
            a.owner: self.ledger.balance(a) for a in self.ledger.accounts(default_fund("").kind)
        }


def _positive(name: str, amount: Decimal) -> None:
    if not amount > 0:
        raise InvalidParameterError(name, amount, "> 0")
