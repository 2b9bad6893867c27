"""Commands of the api area: the OpenAPI document and the route table of the HTTP API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import JsonOpt, echo_json

api_app = typer.Typer(help="The HTTP API: its OpenAPI document and routes.")
_console = Console()

_METHODS = ("get", "post", "put", "patch", "delete")


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(api_app, name="api")


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, built over an empty in-memory venue."""
    from tokenfutures.api import create_app
    from tokenfutures.core.clock import ManualClock
    from tokenfutures.storage import open_store
    from tokenfutures.venue.service import Venue

    venue = Venue.open(open_store("memory://"), ManualClock())
    try:
        return create_app(venue).openapi()
    finally:
        venue.close()


@api_app.command("openapi")
def openapi_cmd(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print (or write) the OpenAPI 3 document of the REST API."""
    from tokenfutures.wire import encode_pretty

    text = encode_pretty(openapi_document(), sort_keys=True)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    _console.print(f"wrote {output} ({len(text):,} characters)")


@api_app.command("routes")
def routes_cmd(as_json: JsonOpt = False) -> None:
    """List the REST routes: method, path, whether a key is needed, summary."""
    spec = openapi_document()
    rows = [
        {
            "method": method.upper(),
            "path": path,
            "auth": bool(operation.get("security")),
            "summary": (operation.get("description") or operation.get("summary", "")).split("\n")[
                0
            ],
        }
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if method in _METHODS
    ]
    if as_json:
        echo_json(rows)
        return
    table = Table(title=f"{spec['info']['title']} {spec['info']['version']}")
    for column in ("method", "path", "key", "summary"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["method"], row["path"], "yes" if row["auth"] else "", row["summary"])
    _console.print(table)
