"""Accounts: opening, API keys, collateral, and the clearing views of one account."""

from __future__ import annotations

from decimal import Decimal

from tokenfutures.clearing.default_transfer import CCP_HOUSE
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.money import to_micros
from tokenfutures.venue import queries
from tokenfutures.venue.charges import account_fees
from tokenfutures.venue.commands import CreateAccount, Deposit, SetAccountSettings
from tokenfutures.venue.operators import index_admin, index_admin_name, require_trading_id
from tokenfutures.venue.services.base import EPOCH, Service
from tokenfutures.venue.views import (
    STP_CHOICES,
    AccountFeesView,
    LedgerLine,
    MarginView,
    PositionView,
)

DEFAULT_DEPOSIT = Decimal(1_000_000)


class AccountService(Service):
    """Open accounts, issue keys, move collateral; positions, margin and ledger of an account."""

    def create_account(
        self, account_id: str, *, member: str | None = None, deposit: Decimal = DEFAULT_DEPOSIT
    ) -> str:
        """Open ``account_id`` with a first deposit; returns a new API key (shown once)."""
        if not account_id or len(account_id) > 64 or not account_id.isprintable():
            raise InvalidParameterError("account_id", account_id, "1 to 64 printable characters")
        if deposit < 0:
            raise InvalidParameterError("deposit", deposit, ">= 0")
        require_trading_id(account_id)  # the operators' namespace (ADR 0245)
        if account_id == CCP_HOUSE:  # the CCP's own house account (defaulted books, ADR 0620)
            raise InvalidParameterError("account_id", account_id, "an id other than the CCP's")
        with self._lock:
            if account_id in self._state.accounts:
                raise InvalidParameterError("account_id", account_id, "a new account id")
            self._one(CreateAccount(EPOCH, account_id, member, to_micros(deposit)))
            return self._seq.store.api_keys.issue(account_id)

    def create_index_admin(self, name: str) -> str:
        """Issue an API key for the index administrator ``name`` (shown once; ADR 0245).

        The principal ``index-admin:<name>`` is no trading account: nothing is journalled.
        """
        principal = index_admin(name)
        with self._lock:
            return self._seq.store.api_keys.issue(principal)

    def settings(self, account_id: str) -> dict[str, str]:
        """The account's defaults: ``self_trade_prevention`` of orders that name none."""
        with self._lock:
            if account_id not in self._state.accounts:
                raise InvalidParameterError("account_id", account_id, "an existing account")
            return {"self_trade_prevention": self._state.account_stp.get(account_id, "none")}

    def set_settings(self, account_id: str, *, self_trade_prevention: str) -> dict[str, str]:
        """Set the account's default self-trade prevention (journalled; ADR 0432)."""
        mode = self_trade_prevention.lower()
        if mode not in STP_CHOICES:
            raise InvalidParameterError(
                "self_trade_prevention", self_trade_prevention, f"one of {STP_CHOICES}"
            )
        with self._lock:
            current = self.settings(account_id)  # refuses an unknown account
            if current["self_trade_prevention"] != mode:
                self._one(SetAccountSettings(EPOCH, account_id, mode))
            return self.settings(account_id)

    def issue_api_key(self, account_id: str) -> str:
        """Another API key for an existing account."""
        with self._lock:
            if account_id not in self._state.accounts:
                raise InvalidParameterError("account_id", account_id, "an existing account")
            return self._seq.store.api_keys.issue(account_id)

    def rotate_api_key(self, account_id: str) -> str:
        """Revoke every key of an existing account and issue one new key (shown once)."""
        with self._lock:
            self.revoke_api_keys(account_id)
            return self._seq.store.api_keys.issue(account_id)

    def revoke_api_keys(self, account_id: str) -> int:
        """Revoke every key of an existing account or index administrator; how many were live."""
        with self._lock:
            known = account_id in self._state.accounts or index_admin_name(account_id)
            if not known:
                raise InvalidParameterError("account_id", account_id, "an existing account")
            return self._seq.store.api_keys.revoke_account(account_id)

    def authenticate(self, api_key: str) -> str | None:
        """The account of a valid API key, else None."""
        return self._seq.store.api_keys.authenticate(api_key)

    def ids(self) -> list[str]:
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
                self._one(Deposit(EPOCH, account, to_micros(amount)))
            return queries.margin_view(self._state, account)

    def positions(self, account: str) -> list[PositionView]:
        """Non-zero net positions of ``account`` with their last marks."""
        with self._lock:
            return queries.position_views(self._state, account)

    def margin(self, account: str) -> MarginView:
        """Collateral, eq.-7 requirement and open margin call of ``account``."""
        with self._lock:
            return queries.margin_view(self._state, account)

    def fees(self, account: str) -> AccountFeesView:
        """Fees accrued since the last end of day (at today's schedule), billed, fund share."""
        with self._lock:
            queries.require_account(self._state, account)
            return account_fees(self._state, account, self._seq.clock.now().date())

    def ledger(self, account: str) -> list[LedgerLine]:
        """Postings to the account's collateral, oldest first, with running balances."""
        with self._lock:
            return queries.ledger_lines(self._state, account)

    def margin_requirements(self) -> dict[str, Decimal]:
        """Initial requirement of every account with positions (for reports)."""
        with self._lock:
            return queries.margin_requirements(self._state)
