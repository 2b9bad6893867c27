"""Operator principals: index administrators as API-key holders, never trading accounts (ADR 0245).

An index administrator's key is stored like an account's, under the principal
``index-admin:<name>``; the prefix is reserved, so no trading account can carry it, and the
venue's state never holds such a principal (it cannot trade, hold positions or collateral).
"""

from __future__ import annotations

import re

from tokenfutures.core.errors import InvalidParameterError

INDEX_ADMIN_PREFIX = "index-admin:"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,47}")
NAME_RULE = "1 to 48 letters, digits, '.', '_' or '-', starting with a letter or digit"


def index_admin(name: str) -> str:
    """The principal of the index administrator ``name`` (refused when the name does not fit)."""
    if _NAME.fullmatch(name) is None:
        raise InvalidParameterError("operator name", name, NAME_RULE)
    return INDEX_ADMIN_PREFIX + name


def index_admin_name(principal: str) -> str | None:
    """The administrator's name of an ``index-admin:`` principal, else None."""
    if not principal.startswith(INDEX_ADMIN_PREFIX):
        return None
    name = principal.removeprefix(INDEX_ADMIN_PREFIX)
    return name if _NAME.fullmatch(name) else None


def require_trading_id(account_id: str) -> None:
    """Refuse a trading account id in the operators' reserved namespace."""
    if account_id.startswith(INDEX_ADMIN_PREFIX):
        raise InvalidParameterError(
            "account_id", account_id, f"an id outside the operators' {INDEX_ADMIN_PREFIX!r}"
        )
