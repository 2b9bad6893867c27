"""Double-entry ledger in ``Decimal`` USD, stored as integer micro-USD.

Every journal entry balances by construction (an unbalanced entry is refused when it is
built), so the sum over all ledger accounts is zero at all times: money moves, it is never
created or destroyed. Collateral, variation margin, fees, default losses and final settlement
are all journal entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import overload

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import from_micros, to_micros

CCP = "ccp"


class AccountKind(Enum):
    """What a ledger account holds; the owner says whose it is."""

    EXTERNAL = "external"  # money outside the CCP (a party's bank); funds deposits
    COLLATERAL = "collateral"  # cash a member or client holds at the CCP (margin + VM)
    DEFAULT_FUND = "default_fund"  # a member's default-fund contribution
    CCP_CAPITAL = "ccp_capital"  # the CCP's own capital
    SKIN_IN_THE_GAME = "skin_in_the_game"  # dedicated CCP resources ahead of the fund
    SETTLEMENT = "settlement"  # pass-through for variation margin; nets to zero
    FEES = "fees"  # fee income
    ROUNDING = "rounding"  # residues of rounding to the micro-USD


@dataclass(frozen=True, slots=True, order=True)
class LedgerAccount:
    """One ledger account: a kind and an owner (a member, a client or ``"ccp"``)."""

    kind: AccountKind
    owner: str

    def __str__(self) -> str:
        return f"{self.owner}:{self.kind.value}"


@cache
def collateral(owner: str) -> LedgerAccount:
    """The collateral (margin cash) account of a member or client (one instance per owner)."""
    return LedgerAccount(AccountKind.COLLATERAL, owner)


def external(owner: str) -> LedgerAccount:
    """A party's money outside the CCP."""
    return LedgerAccount(AccountKind.EXTERNAL, owner)


@cache
def default_fund(owner: str) -> LedgerAccount:
    """A member's default-fund contribution (one instance per owner)."""
    return LedgerAccount(AccountKind.DEFAULT_FUND, owner)


def ccp_account(kind: AccountKind) -> LedgerAccount:
    """One of the CCP's own accounts (capital, skin in the game, settlement, fees, rounding)."""
    return LedgerAccount(kind, CCP)


SETTLEMENT_ACCOUNT = ccp_account(AccountKind.SETTLEMENT)
FEES_ACCOUNT = ccp_account(AccountKind.FEES)
ROUNDING_ACCOUNT = ccp_account(AccountKind.ROUNDING)
SKIN_ACCOUNT = ccp_account(AccountKind.SKIN_IN_THE_GAME)
CAPITAL_ACCOUNT = ccp_account(AccountKind.CCP_CAPITAL)
#: The exchange's trading-fee income (the CCP's own ``FEES_ACCOUNT`` holds clearing fees).
TRADING_FEES_ACCOUNT = LedgerAccount(AccountKind.FEES, "exchange")


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of a journal entry: ``amount`` USD added to ``account`` (negative = taken)."""

    account: LedgerAccount
    amount: Decimal


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A balanced set of postings with a memo; refuses to exist unbalanced.

    Raises
    ------
    InvalidParameterError
        If the postings do not sum to zero, are finer than one micro-USD, or fewer than two.
    """

    memo: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        if len(self.postings) < 2:
            raise InvalidParameterError("postings", len(self.postings), "at least two legs")
        total = 0
        for leg in self.postings:
            total += to_micros(leg.amount)  # raises if finer than a micro-USD
        if total != 0:
            raise InvalidParameterError(
                "postings", from_micros(total), "balanced (sum of amounts == 0)"
            )


def transfer(
    source: LedgerAccount, target: LedgerAccount, amount: Decimal, memo: str
) -> JournalEntry:
    """A two-leg entry moving ``amount`` from ``source`` to ``target``."""
    return JournalEntry(memo, (Posting(source, -amount), Posting(target, amount)))


def entry_from_legs(memo: str, legs: Mapping[LedgerAccount, Decimal]) -> JournalEntry:
    """A multi-leg entry from a mapping of account to amount (zero legs are dropped)."""
    ordered = sorted(legs.items(), key=lambda leg: (leg[0].kind.value, leg[0].owner))
    postings = tuple(Posting(a, amt) for a, amt in ordered if amt != 0)
    return JournalEntry(memo, postings)


class JournalView(Sequence[JournalEntry]):
    """A read-only, live view of a ledger's journal: no copy is made to read it.

    Indexing and iteration read the ledger's own list; a slice copies only the entries it
    covers (``view[start:]``: the entries posted since ``start``). It has no way to add,
    change or remove an entry, so the ledger's balances stay the sum of its journal.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: list[JournalEntry]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[JournalEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> JournalEntry | tuple[JournalEntry, ...]:
        if isinstance(index, slice):
            return tuple(self._entries[index])
        return self._entries[index]

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self._entries)

    def __repr__(self) -> str:
        return f"JournalView({len(self._entries)} entries)"


class Ledger:
    """Balances (integer micro-USD) and the journal of every entry posted, in order."""

    def __init__(self) -> None:
        self._balances: dict[LedgerAccount, int] = {}
        self._journal: list[JournalEntry] = []

    def post(self, entry: JournalEntry) -> None:
        """Apply a (necessarily balanced) journal entry."""
        for leg in entry.postings:
            self._balances[leg.account] = self._balances.get(leg.account, 0) + to_micros(leg.amount)
        self._journal.append(entry)

    def post_all(self, entries: Iterable[JournalEntry]) -> None:
        """Post several entries in order."""
        for entry in entries:
            self.post(entry)

    def balance(self, account: LedgerAccount) -> Decimal:
        """Balance of ``account`` in USD (zero for an account never posted to)."""
        return from_micros(self._balances.get(account, 0))

    def balances_micros(self) -> dict[LedgerAccount, int]:
        """Every non-empty account's balance in integer micro-USD (for storage)."""
        return {a: b for a, b in self._balances.items() if b != 0}

    def accounts(self, kind: AccountKind) -> list[LedgerAccount]:
        """Accounts of one kind that have been posted to, sorted."""
        return sorted(a for a in self._balances if a.kind is kind)

    def total(self) -> Decimal:
        """Sum over all accounts: zero by construction of double entry."""
        return from_micros(sum(self._balances.values()))

    def entry_count(self) -> int:
        """How many entries have been posted (without copying the journal)."""
        return len(self._journal)

    @property
    def journal(self) -> tuple[JournalEntry, ...]:
        """Every entry posted, in order (a copy: its cost grows with the ledger; readers of
        part of it, or of it often, use ``entries``)."""
        return tuple(self._journal)

    @property
    def entries(self) -> JournalView:
        """The journal as a read-only live view (no copy); ``entries[start:]`` copies only
        the entries from ``start`` on (what a mirror needs)."""
        return JournalView(self._journal)
