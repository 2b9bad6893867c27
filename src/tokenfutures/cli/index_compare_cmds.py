"""``tokenfutures index compare``: tpi-1.0, tpi-2.0 and the comparison methods side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.index_cmds import index_app, parse_day
from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.index.compare import COVERAGE_EVENTS, blend_sensitivity, compare_methods
from tokenfutures.index.methodology import TPI2_VERSION, methodology_named
from tokenfutures.index.sit_gate import EPOCH_CREDIT
from tokenfutures.index.sources.inputs import load_inputs
from tokenfutures.index.views_compare import LABELS, compare_to_dict, plot_compare

_out = Console()


@index_app.command("compare")
def compare_command(
    csv: Annotated[Path, typer.Option("--csv", help="price-history CSV (scores beside it)")],
    start: Annotated[str, typer.Option("--from", help="first date")] = "2025-03-17",
    end: Annotated[str, typer.Option("--to", help="last date")] = "2026-11-20",
    png: Annotated[Path | None, typer.Option("--png", help="write the comparison PNG")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare methods: total move and the share from matched price changes; blend table."""
    first, last = parse_day(start), parse_day(end)
    inputs = load_inputs(csv, methodology=methodology_named(TPI2_VERSION))
    book, delisted = inputs.capabilities, dict(inputs.delisted)
    results = compare_methods(inputs.observations, book, first, last, delisted)
    blends = blend_sensitivity(inputs.observations, book, first, last, delisted)
    if png is not None:
        plot_compare(results, png)
    document = compare_to_dict(results) | {"blend_sensitivity": blends}
    if as_json:
        echo_json(document)
        return
    table = Table(title=f"TPI methods {first} .. {last} (log moves)")
    for column in (
        "method",
        "first",
        "last",
        "total",
        "matched",
        "switches",
        "entry/exit",
        "re-weight",
        "matched share",
        *(d.isoformat() for d, _ in COVERAGE_EVENTS),
    ):
        table.add_column(column, justify="right")
    for name, row in document["methods"].items():
        share = row["matched_share"]
        table.add_row(
            LABELS.get(name, name),
            f"{row['first'][1]:.4f}",
            f"{row['last'][1]:.4f}",
            f"{row['total_log_move']:+.3f}",
            f"{row['matched']:+.3f}",
            f"{row['route_switches']:+.3f}",
            f"{row['entries_exits']:+.3f}",
            f"{row['reweighting']:+.3f}",
            "n/a" if share is None else f"{share:.0%}",
            *(_pct(v) for v in row["coverage_events"].values()),
        )
    _out.print(table)
    blend = Table(title="tpi-2.0 blend sensitivity (input:output)")
    for column in ("blend", "first", "last", "total log move", "matched share"):
        blend.add_column(column, justify="right")
    for row in blends:
        share = row["matched_share"]
        blend.add_row(
            str(row["blend"]),
            f"{row['first']:.4f}",
            f"{row['last']:.4f}",
            f"{row['total_log_move']:+.3f}",
            "n/a" if share is None else f"{share:.0%}",
        )
    _out.print(blend)
    _out.print(inputs.summary() + (f"; figure written to {png}" if png else ""))
    _out.print(EPOCH_CREDIT)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2%}"
