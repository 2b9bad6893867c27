"""Root of the ``tokenfutures`` command line; each area registers its commands here."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console
from rich.markup import escape

from tokenfutures.cli import (
    accounts_cmds,
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
from tokenfutures.core.errors import CheckFailedError, TokenFuturesError

USAGE_ERROR = 2
CHECK_FAILED = 1
#: Set to 1 to let an unexpected error end in its traceback instead of one line.
DEBUG_ENV = "TOKENFUTURES_DEBUG"

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
    accounts_cmds,
    api_cmds,
):
    _area.register(app)

_stderr = Console(stderr=True)


@app.callback()
def _root(config: ConfigOpt = None) -> None:
    """AI inference-token futures: index, contracts, exchange, clearing and the quant toolkit."""
    use_config(config)


def run(argv: list[str]) -> int:
    """Run the CLI on ``argv`` and return its exit code (ADR 0642).

    Every failure is one line on stderr: exit 2 for bad input or an unusable environment
    (a file, database or port that cannot be used), exit 1 for a check that ran and failed
    (and for a bug, whose traceback ``TOKENFUTURES_DEBUG=1`` shows).
    """
    try:
        app(args=argv, prog_name="tokenfutures", standalone_mode=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        _stderr.print("interrupted", highlight=False)
        return 130
    except Exception as error:  # the one place that turns errors into exit codes
        code, message = classify(error)
        bug = code == CHECK_FAILED and not isinstance(error, CheckFailedError)
        if bug and os.environ.get(DEBUG_ENV) == "1":
            raise
        _stderr.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
        return code
    return 0


def classify(error: Exception) -> tuple[int, str]:
    """Exit code and one-line message of an error that ended a command."""
    text = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, CheckFailedError):
        return CHECK_FAILED, text
    if isinstance(error, TokenFuturesError | ValueError | ArithmeticError | LookupError):
        return USAGE_ERROR, text
    if isinstance(error, OSError):
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        return USAGE_ERROR, f"{error.strerror or text}{where}"
    if type(error).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
        orig = getattr(error, "orig", None) or error
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return USAGE_ERROR, f"database error: {first}"
    return CHECK_FAILED, f"internal error: {text} (set {DEBUG_ENV}=1 for the traceback)"


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:]))
