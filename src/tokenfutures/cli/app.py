"""Root of the ``tokenfutures`` command line; each area registers its commands here."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from tokenfutures.cli import (
    api_cmds,
    calibrate_cmds,
    clearing_cmds,
    contracts_cmds,
    exchange_cmds,
    index_cmds,
    quant_cmds,
    serve_cmds,
    storage_cmds,
    venue_cmds,
)
from tokenfutures.cli.options import ConfigOpt, use_config
from tokenfutures.core.errors import TokenFuturesError

USAGE_ERROR = 2

app = typer.Typer(
    name="tokenfutures",
    help="AI inference-token futures: index, contracts, exchange, clearing and the quant toolkit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.command()
def version() -> None:
    """Print the package version."""
    from tokenfutures import __version__

    typer.echo(__version__)


for _area in (
    serve_cmds,
    quant_cmds,
    calibrate_cmds,
    index_cmds,
    contracts_cmds,
    exchange_cmds,
    clearing_cmds,
    storage_cmds,
    venue_cmds,
    api_cmds,
):
    _area.register(app)

_stderr = Console(stderr=True)


@app.callback()
def _root(config: ConfigOpt = None) -> None:
    """AI inference-token futures: index, contracts, exchange, clearing and the quant toolkit."""
    use_config(config)


def run(argv: list[str]) -> int:
    """Run the CLI on ``argv`` and return its exit code; bad input gives a message and code 2."""
    try:
        app(args=argv, prog_name="tokenfutures", standalone_mode=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except (TokenFuturesError, ValueError, FileNotFoundError, IsADirectoryError) as bad_input:
        _stderr.print(f"[bold red]error:[/] {bad_input}", highlight=False)
        return USAGE_ERROR
    return 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
