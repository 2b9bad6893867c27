"""Options shared by the commands, declared once, and the one way ``--json`` is written.

``--json`` prints one JSON document on one line (spaced as ``json.dumps`` spaces it), written
by the wire codec (exact decimals as strings, RFC 3339 times, enums by name). ``--database`` falls back to the
settings (``--config`` file, ``TOKENFUTURES_STORE__URL``) when it is not given. A command's
summary prints as ``value_table`` (a name column and a right-aligned value column).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from tokenfutures.wire import encode_line

if TYPE_CHECKING:
    from tokenfutures.bootstrap import Settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one line of machine-readable JSON.")]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="sqlite:///path, postgresql+psycopg://… or memory:// (default: the settings' "
        "store.url)",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="TOML settings file (else $TOKENFUTURES_CONFIG); the environment overrides it",
        dir_okay=False,
    ),
]

_config: list[Path | None] = [None]


def use_config(path: Path | None) -> None:
    """Remember the root ``--config`` file for the commands of this invocation."""
    _config[0] = path


def settings(database: str | None = None, **sections: Any) -> Settings:
    """The invocation's settings; ``--database`` and other flags (``sections``) win over them."""
    from tokenfutures.bootstrap import load_settings

    if database is not None:
        sections["store"] = {"url": database}
    return load_settings(_config[0], **sections)


def database_url(database: str | None) -> str:
    """``--database`` when given, else the settings' store URL."""
    return database if database is not None else settings().store.url


def echo_json(value: Any) -> None:
    """Print ``value`` as one line of JSON (the wire codec)."""
    typer.echo(encode_line(value))


def value_table(title: str, head: str, rows: Iterable[tuple[str, str]]) -> Table:
    """A command's summary as a two-column table: ``head`` names the left column, values right."""
    table = Table(title=title)
    table.add_column(head)
    table.add_column("value", justify="right")
    for name, value in rows:
        table.add_row(name, value)
    return table
