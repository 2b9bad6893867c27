"""Commands of the storage area: what a store holds, and an integrity check of it."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from tokenfutures.core.errors import CheckFailedError
from tokenfutures.storage.audit import open_existing, summarize, verify

storage_app = typer.Typer(help="The venue's store: journal, snapshots, ledger and API keys.")
_console = Console()

DatabaseOption = Annotated[
    str,
    typer.Option(
        "--database", help="sqlite:///path, postgresql://user:pw@host:port/db or memory://"
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(storage_app, name="storage")


@storage_app.command("info")
def info_cmd(database: DatabaseOption, as_json: JsonOption = False) -> None:
    """Schema revision, journal heads, latest snapshot and ledger totals."""
    store = open_existing(database)
    try:
        summary = summarize(store).as_dict()
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(summary))
        return
    table = Table(title=f"store {database}")
    table.add_column("field")
    table.add_column("value", justify="right")
    for field, value in summary.items():
        table.add_row(field.replace("_", " "), "-" if value is None else f"{value}")
    _console.print(table)


@storage_app.command("verify")
def verify_cmd(database: DatabaseOption, as_json: JsonOption = False) -> None:
    """Check that the journals are gap-free from 1 and the ledger balances; exit 1 if not."""
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
        typer.echo(json.dumps({"ok": not problems, "problems": problems}))
    elif not problems:
        _console.print("[green]store verified:[/] journals gap-free, ledger balanced")
    if problems:
        raise CheckFailedError("; ".join(problems))
