"""Commands of the storage area: what a store holds, and an integrity check of it."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from tokenfutures.cli.options import DatabaseOpt, JsonOpt, database_url, echo_json, value_table
from tokenfutures.core.errors import CheckFailedError
from tokenfutures.storage.audit import open_existing, summarize, verify

storage_app = typer.Typer(help="The venue's store: journal, snapshots, ledger and API keys.")
_console = Console()


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(storage_app, name="storage")


@storage_app.command("info")
def info_cmd(database: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Schema revision, journal heads, latest snapshot and ledger totals."""
    database = database_url(database)
    store = open_existing(database)
    try:
        summary = summarize(store).as_dict()
    finally:
        store.close()
    if as_json:
        echo_json(summary)
        return
    rows = ((f.replace("_", " "), "-" if v is None else f"{v}") for f, v in summary.items())
    _console.print(value_table(f"store {database}", "field", rows))


@storage_app.command("verify")
def verify_cmd(database: DatabaseOpt = None, as_json: JsonOpt = False) -> None:
    """Check that the journals are gap-free from 1 and the ledger balances; exit 1 if not."""
    database = database_url(database)
    store = open_existing(database)
    try:
        if as_json:
            problems = verify(store)
        else:
            columns = (SpinnerColumn(), TextColumn("{task.description} {task.completed:,}"))
            with Progress(*columns, console=_console, transient=True) as bar:
                task = bar.add_task("records read", total=None)
                problems = verify(store, lambda n: bar.advance(task, n))
    finally:
        store.close()
    if as_json:
        echo_json({"ok": not problems, "problems": problems})
    elif not problems:
        _console.print("[green]store verified:[/] journals gap-free, ledger balanced")
    if problems:
        raise CheckFailedError("; ".join(problems))
