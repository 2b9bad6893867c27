"""Commands of the contracts area: listed contracts, a contract's spec, final settlement."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.contracts import (
    ContractSpec,
    ContractSymbol,
    FinalSettlement,
    InsufficientFixesError,
    final_settlement_price,
    first_trading_day,
    known_products,
    last_trading_day,
    listed_contracts,
    listing_date,
    parse_symbol,
    product_spec,
    settlement_window,
    spec_for_symbol,
    trading_contracts,
)
from tokenfutures.core.clock import SystemClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY
from tokenfutures.index.publication import settlement_inputs
from tokenfutures.index.sources.inputs import open_index_service

contracts_app = typer.Typer(help="SIT and SCU futures: listings, specs and final settlement.")
_console = Console()

SpecVersion = Annotated[
    str | None,
    typer.Option(
        "--spec-version",
        help="Spec version, e.g. v1 (the paper's SIT: 1M SIT, $0.01 tick); default: the listed one.",
    ),
]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(contracts_app, name="contracts")


def _parse_date(text: str | None, name: str) -> date:
    if text is None:
        return SystemClock().now().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError(name, text, "an ISO date YYYY-MM-DD") from None


def _listing_rows(product: str, day: date, version: str | None) -> list[dict[str, Any]]:
    spec = product_spec(product, version)
    trading = set(trading_contracts(spec, day))
    rows = []
    for position, symbol in enumerate(listed_contracts(spec, day)):
        rows.append(
            {
                "symbol": str(symbol),
                "product": spec.product,
                "spec_version": spec.version,
                "delivery": f"{symbol.delivery.year}-{symbol.delivery.month:02d}",
                "series": "monthly" if position < spec.listing.consecutive_months else "quarterly",
                "listed": listing_date(spec, symbol).isoformat(),
                "first_trading_day": first_trading_day(spec, symbol).isoformat(),
                "last_trading_day": last_trading_day(spec, symbol).isoformat(),
                "trading": symbol in trading,
            }
        )
    return rows


@contracts_app.command("list")
def list_cmd(
    on: Annotated[
        str | None, typer.Option("--date", help="ISO date (default: today, UTC).")
    ] = None,
    product: Annotated[
        str | None, typer.Option("--product", help="SIT or SCU (default: all).")
    ] = None,
    as_json: JsonOpt = False,
    version: SpecVersion = None,
) -> None:
    """List the contracts listed on a date, with listing and last trading days."""
    day = _parse_date(on, "--date")
    products = [product.upper()] if product else list(known_products())
    rows = [row for code in products for row in _listing_rows(code, day, version)]
    if as_json:
        echo_json({"date": day.isoformat(), "contracts": rows})
        return
    table = Table(title=f"Listed contracts on {day.isoformat()} ({day.strftime('%A')})")
    for column in ("symbol", "spec", "series", "listed", "1st trade", "LTD", "trading"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(
            row["symbol"],
            row["spec_version"],
            row["series"],
            row["listed"],
            row["first_trading_day"],
            row["last_trading_day"],
            "yes" if row["trading"] else "no",
        )
    _console.print(table)


def _resolve(target: str, version: str | None) -> tuple[ContractSpec, ContractSymbol | None]:
    if target.strip().upper() in known_products():
        return product_spec(target, version), None
    symbol = parse_symbol(target)
    return spec_for_symbol(symbol, version), symbol


def _spec_document(spec: ContractSpec, symbol: ContractSymbol | None) -> dict[str, Any]:
    tiers = [
        {"fraction": str(t.fraction), "halt": t.halt.value, "halt_minutes": t.halt_minutes}
        for t in spec.price_limit_tiers
    ]
    low, high = spec.initial_margin_fraction_range()
    document: dict[str, Any] = {
        "product": spec.product,
        "version": spec.version,
        "name": spec.name,
        "underlying": spec.underlying,
        "lot": f"{spec.lot_size:,} {spec.lot_unit}",
        "quote": spec.quote_unit,
        "tick_size": str(spec.tick_size),
        "tick_value": f"{spec.tick_value} {spec.currency}",
        "lot_multiplier": spec.lot_multiplier,
        "listing": f"{spec.listing.consecutive_months} consecutive monthly + "
        f"{spec.listing.quarterly_months} quarterly (months {list(spec.listing.quarter_cycle)})",
        "session_utc": f"{spec.session.open_time:%H:%M} (previous day) to "
        f"{spec.session.close_time:%H:%M}, weekdays {sorted(spec.session.trading_weekdays)}",
        "daily_settlement_time_utc": f"{spec.daily_settlement_time():%H:%M}",
        "settlement_window_seconds": int(spec.session.settlement_window.total_seconds()),
        "price_limits": tiers,
        "initial_margin_fraction": [str(low), str(high)],
        "maintenance_of_initial": str(spec.maintenance_fraction_of_initial()),
        "final_settlement": "mean of daily index fixes, delivery month day 1 to the LTD "
        f"({spec.final_settlement.fix_days.value} days), {spec.final_settlement.min_observed_fraction:%}"
        f" observed, carry forward ≤ {spec.final_settlement.max_carry_forward_days} days, "
        "rounded half-even to the tick",
    }
    if symbol is not None:
        window = settlement_window(spec, symbol)
        document |= {
            "symbol": str(symbol),
            "listing_date": listing_date(spec, symbol).isoformat(),
            "first_trading_day": first_trading_day(spec, symbol).isoformat(),
            "last_trading_day": last_trading_day(spec, symbol).isoformat(),
            "settlement_window": [window[0].isoformat(), window[-1].isoformat()],
            "settlement_window_days": len(window),
        }
    return document


@contracts_app.command("spec")
def spec_cmd(
    target: Annotated[str, typer.Argument(help="A symbol (SITZ26) or a product (SIT, SCU).")],
    as_json: JsonOpt = False,
    version: SpecVersion = None,
) -> None:
    """Show a product's spec, and for a symbol its listing, last trading day and window."""
    spec, symbol = _resolve(target, version)
    document = _spec_document(spec, symbol)
    if as_json:
        echo_json(document)
        return
    table = Table(
        title=f"{symbol or spec.product}: {spec.name} ({spec.version})", show_header=False
    )
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in document.items():
        table.add_row(key, value if isinstance(value, str) else json.dumps(value))
    _console.print(table)


def read_fixes_csv(path: Path) -> Iterator[tuple[date, Decimal]]:
    """Yield ``(date, level)`` pairs from a CSV with a ``date,level`` header; errors name the row."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"date", "level"} <= set(reader.fieldnames):
            raise InvalidParameterError("--fixes", str(path), "a CSV with a 'date,level' header")
        for line, row in enumerate(reader, start=2):
            try:
                yield date.fromisoformat(row["date"].strip()), Decimal(row["level"].strip())
            except (ValueError, InvalidOperation, AttributeError):
                raise InvalidParameterError(
                    f"{path.name} line {line}", row, "an ISO date and a decimal level"
                ) from None


#: Exit code of a final settlement published over a window with days the index withheld.
SETTLED_WITH_WITHHELD_DAYS = 3
#: Exit code when no final settlement price can be set (too few fixes: the administrator acts).
NOT_SETTLED = 4


def settle_and_render(
    symbol_text: str,
    fixes: Iterable[tuple[date, Decimal]],
    as_json: bool,
    png: Path | None,
    *,
    withheld: dict[date, str] | None = None,
    version: str | None = None,
) -> None:
    """Compute a final settlement from any source of fixes and print it (table or JSON).

    Exits 3 when window days were withheld by the index (the price stands, flagged), 4 when
    too few fixes remain to settle (ADR 0235).
    """
    symbol = parse_symbol(symbol_text)
    try:
        result = final_settlement_price(spec_for_symbol(symbol, version), symbol, fixes, withheld)
    except InsufficientFixesError as short:
        _console.print(f"[bold red]not settled:[/] {short}", highlight=False)
        raise typer.Exit(NOT_SETTLED) from None
    if png is not None:
        _plot_settlement(result, png)
    document = result.to_dict()
    if as_json:
        echo_json(document)
    else:
        _render_settlement(result, document)
    if result.withheld:
        raise typer.Exit(SETTLED_WITH_WITHHELD_DAYS)


def _render_settlement(result: FinalSettlement, document: dict[str, Any]) -> None:
    table = Table(title=f"{result.symbol} final settlement: {result.price} ({result.rounding})")
    for column in ("day", "level", "source", "fixed on"):
        table.add_column(column)
    for fix in document["fixes"]:
        table.add_row(fix["day"], fix["level"], fix["source"], fix["fixed_on"])
    _console.print(table)
    _console.print(
        f"raw mean {result.raw_mean} over {len(result.window)} days "
        f"({result.observed_count} observed); ignored fixes (non-business days, after the LTD): "
        f"{', '.join(document['ignored_days']) or 'none'}"
    )
    for day, reason in result.withheld:
        _console.print(f"withheld by the index on {day.isoformat()}: {reason}", highlight=False)


def _plot_settlement(result: FinalSettlement, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4))
    days = [fix.day.day for fix in result.window]
    axes.plot(days, [float(fix.level) for fix in result.window], marker="o", label="window fixes")
    carried = [fix for fix in result.window if fix.fixed_on != fix.day]
    if carried:
        axes.scatter(
            [fix.day.day for fix in carried],
            [float(fix.level) for fix in carried],
            color="red",
            zorder=3,
            label="carried forward",
        )
    axes.axhline(float(result.price), color="black", linestyle="--", label=f"final {result.price}")
    axes.set_title(f"{result.symbol}: final settlement from daily index fixes")
    axes.legend()
    axes.set_xlabel(f"day of {result.window_start:%B %Y}")
    axes.set_ylabel("index level")
    figure.savefig(png, dpi=100)
    plt.close(figure)


@contracts_app.command("final-settlement")
def final_settlement_cmd(
    symbol: Annotated[str, typer.Argument(help="The expiring contract, e.g. SITZ26.")],
    fixes: Annotated[
        Path | None, typer.Option("--fixes", help="CSV of daily index fixes: date,level.")
    ] = None,
    price_csv: Annotated[
        Path | None,
        typer.Option("--csv", help="Price-history CSV: the TPI is fixed from it over the window."),
    ] = None,
    as_json: JsonOpt = False,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the window and the price.")
    ] = None,
    methodology: Annotated[
        str,
        typer.Option("--methodology", help="with --csv: the index methodology (as serve's)"),
    ] = DEFAULT_METHODOLOGY,
    version: SpecVersion = None,
) -> None:
    """The final settlement price of a contract from daily TPI fixes, with its audit."""
    if (fixes is None) == (price_csv is None):
        raise InvalidParameterError("--fixes/--csv", None, "exactly one of --fixes or --csv")
    if fixes is not None:
        settle_and_render(symbol, read_fixes_csv(fixes), as_json, png, version=version)
        return
    assert price_csv is not None
    parsed = parse_symbol(symbol)
    window = settlement_window(spec_for_symbol(parsed, version), parsed)
    service = open_index_service(price_csv, methodology=methodology)
    now = SystemClock().now()
    if window[-1] > service.latest_day(now):
        raise InvalidParameterError(
            "symbol",
            symbol,
            f"a contract whose settlement window ({window[0]} .. {window[-1]}) is fixed; "
            f"the latest fix is of {service.latest_day(now)}",
        )
    # Start early enough that a missing first day can be carried forward (ADR 0303).
    published = service.history(window[0] - timedelta(days=10), window[-1], now)
    levels, withheld = settlement_inputs(published)
    settle_and_render(symbol, levels, as_json, png, withheld=withheld, version=version)
