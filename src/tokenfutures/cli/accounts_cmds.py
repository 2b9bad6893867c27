"""``tokenfutures accounts``: create accounts, rotate or revoke their API keys, list them.

Writing commands open the database as its one writer (ADR 0640): while ``serve`` runs they are
refused with a clear line; ``list`` reads the store read-only. A key is printed once.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer

from tokenfutures.cli.options import DatabaseOpt, JsonOpt, database_url, echo_json, settings
from tokenfutures.core.errors import InvalidParameterError

accounts_app = typer.Typer(help="Accounts and their API keys (the venue must not be running).")

AccountArgument = Annotated[str, typer.Argument(help="account id (1 to 64 printable characters)")]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(accounts_app, name="accounts")


def _with_venue(
    database: str | None, action: str, account: str, deposit: Decimal
) -> dict[str, object]:
    from tokenfutures.bootstrap import open_venue

    venue = open_venue(settings(database))
    try:
        if action == "create":
            return {
                "account": account,
                "api_key": venue.accounts.create_account(account, deposit=deposit),
            }
        if action == "operator":
            return {
                "operator": account,
                "principal": f"index-admin:{account}",
                "api_key": venue.accounts.create_index_admin(account),
            }
        if action == "rotate":
            return {"account": account, "api_key": venue.accounts.rotate_api_key(account)}
        return {"account": account, "revoked": venue.accounts.revoke_api_keys(account)}
    finally:
        venue.close()


def _echo(result: dict[str, object], as_json: bool) -> None:
    if as_json:
        echo_json(result)
        return
    for field, value in result.items():
        typer.echo(f"{field}: {value}")


@accounts_app.command("create")
def create_cmd(
    account: AccountArgument,
    database: DatabaseOpt = None,
    deposit: Annotated[str, typer.Option(help="first deposit in USD")] = "1000000",
    as_json: JsonOpt = False,
) -> None:
    """Open an account with a first deposit and print its API key (shown once)."""
    from tokenfutures.venue.operators import require_trading_id

    require_trading_id(account)  # refused before the database is opened
    try:
        amount = Decimal(deposit)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise InvalidParameterError("deposit", deposit, "a non-negative amount in USD")
    _echo(_with_venue(database, "create", account, amount), as_json)


@accounts_app.command("create-operator")
def create_operator_cmd(
    name: Annotated[
        str, typer.Argument(help="the index administrator's name (letters, digits, . _ -)")
    ],
    database: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an index administrator's API key (shown once): it may correct fixes over the API
    (``index correct --url``), never trade (ADR 0245). Revoke it with ``revoke-keys
    index-admin:NAME``."""
    from tokenfutures.venue.operators import index_admin

    index_admin(name)  # a name that does not fit is refused before the database is opened
    _echo(_with_venue(database, "operator", name, Decimal(0)), as_json)


@accounts_app.command("rotate-key")
def rotate_cmd(
    account: AccountArgument, database: DatabaseOpt = None, as_json: JsonOpt = False
) -> None:
    """Revoke every key of the account and print one new key (shown once)."""
    _echo(_with_venue(database, "rotate", account, Decimal(0)), as_json)


@accounts_app.command("revoke-keys")
def revoke_cmd(
    account: AccountArgument, database: DatabaseOpt = None, as_json: JsonOpt = False
) -> None:
    """Revoke every key of the account (it keeps its positions and collateral)."""
    _echo(_with_venue(database, "revoke", account, Decimal(0)), as_json)


@accounts_app.command("list")
def list_cmd(database: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Every account id, read-only (safe while the venue runs)."""
    from tokenfutures.storage import open_store
    from tokenfutures.venue.recovery import recover

    store = open_store(database_url(database), read_only=True)
    try:
        accounts = sorted(recover(store, store.journal.last_seq())[0].accounts)
    finally:
        store.close()
    if as_json:
        echo_json({"accounts": accounts})
        return
    for account in accounts:
        typer.echo(account)
