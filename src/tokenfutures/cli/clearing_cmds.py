"""Commands of the clearing area: IM coverage backtest and the Cover-2 stress report."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tokenfutures.clearing.backtest import (
    KupiecResult,
    coverage_backtest,
    path_rejection_rates,
)
from tokenfutures.clearing.default_fund import adequacy
from tokenfutures.clearing.margin.live import DEFAULT_LIVE_METHOD, HS_ES
from tokenfutures.clearing.stress import run_stress, sample_members
from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.contracts import product_spec
from tokenfutures.quant.params import preset
from tokenfutures.quant.process import simulate_log_paths, uniform_grid

clearing_app = typer.Typer(
    help="Clearing house: margin backtests and stress tests.", no_args_is_help=True
)


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(clearing_app, name="clearing")


@clearing_app.command()
def backtest(
    preset_name: str = typer.Option("paper", "--preset", help="quant parameter preset"),
    paths: int = typer.Option(200, "--paths", help="simulated price paths"),
    seed: int = typer.Option(0, "--seed", help="random seed"),
    years: float = typer.Option(2.0, "--years", help="years per path (first 250 days: history)"),
    as_json: JsonOpt = False,
    plot: Path | None = typer.Option(None, "--plot", help="write a breach-rate PNG here"),
    csv_path: Path | None = typer.Option(
        None, "--csv", help="backtest one daily price history (e.g. TPI fixes) from this CSV"
    ),
    column: str = typer.Option("tpi", "--column", help="price column of the --csv file"),
    index_history: Path | None = typer.Option(
        None,
        "--index-history",
        help="backtest the real TPI: fixes computed from this price-history CSV (index history)",
    ),
    tick: float | None = typer.Option(
        None, "--tick", help="price grid of simulated paths (default: the listed SIT tick)"
    ),
    es_confidence: float = typer.Option(
        HS_ES.confidence,
        "--es-confidence",
        min=0.5,
        max=0.9999,
        help="hs-es's ES level (default: the live one; coverage is judged at 99 % either way)",
    ),
) -> None:
    """IM coverage (2-day breaches) and Kupiec POF at 99 % per margin method on price paths."""
    with Progress(transient=True, disable=as_json) as bar:
        task = bar.add_task("loading paths and backtesting", total=2)
        if index_history is not None:
            prices = index_history_prices(index_history)[None, :]
            preset_name, paths = f"index-history:{index_history.name}", 1
        elif csv_path is not None:
            prices = read_price_history(csv_path, column)[None, :]
            preset_name, paths = f"csv:{csv_path.name}", 1
        else:
            grid = tick if tick is not None else float(product_spec("SIT").tick_size)
            if grid <= 0:
                raise typer.BadParameter("must be > 0", param_hint="--tick")
            logs = simulate_log_paths(
                preset(preset_name),
                uniform_grid(years, round(years * 252)),
                paths,
                np.random.default_rng(seed),
            )
            prices = np.maximum(np.rint(np.exp(logs) / grid), 1.0) * grid  # on the tick grid
        bar.advance(task)
        results = coverage_backtest(prices, es_confidence=es_confidence)
        per_path = path_rejection_rates(prices, es_confidence=es_confidence) if paths > 1 else {}
        bar.advance(task)
    rows = {
        name: {
            "observations": r.observations,
            "breaches": r.breaches,
            "breach_rate": r.breach_rate,
            "expected_rate": r.expected_rate,
            "kupiec_lr": r.likelihood_ratio,
            "p_value": r.p_value,
            "rejected_at_5pct": r.rejected,
            "undercovered_at_5pct": r.undercovered,
            **({"paths_rejected_at_5pct": per_path[name]} if name in per_path else {}),
        }
        for name, r in results.items()
    }
    if plot is not None:
        _plot_rates(plot, rows)
    if as_json:
        echo_json(
            {
                "preset": preset_name,
                "paths": paths,
                "seed": seed,
                "live_default": DEFAULT_LIVE_METHOD,
                "hs_es_confidence": es_confidence,
                "methods": rows,
            }
        )
        return
    table = Table(title=f"IM coverage at 99 %, 2-day MPOR — {paths} paths, preset {preset_name}")
    for col in ("method", "obs", "breaches", "rate", "Kupiec LR", "p-value", "verdict"):
        table.add_column(col, justify="right" if col != "method" else "left")
    for name, r in results.items():
        table.add_row(
            name,
            str(r.observations),
            str(r.breaches),
            f"{r.breach_rate:.3%}",
            f"{r.likelihood_ratio:.2f}",
            f"{r.p_value:.3g}",
            _verdict(r),
        )
    Console().print(table)


def _verdict(result: KupiecResult) -> str:
    """Two-sided verdict, and which way a rejection points (too many breaches or too few)."""
    if not result.rejected:
        return "accept"
    return "reject (under-covers)" if result.undercovered else "reject (over-covers)"


def index_history_prices(csv_path: Path) -> np.ndarray:
    """Business-day TPI levels (the default methodology) from a price-history CSV, as the index
    service publishes them (weekends dropped: the contract settles on business days)."""
    from tokenfutures.core.clock import SystemClock
    from tokenfutures.index.history import level_series
    from tokenfutures.index.sources.inputs import open_index_service

    now = SystemClock().now()
    service = open_index_service(csv_path)
    first, last = service.inputs.span(service.latest_day(now))
    levels = level_series([p.fixing for p in service.history(first, last, now)])
    return np.array([float(level) for day, level in levels if day.weekday() < 5])


def read_price_history(path: Path, column: str) -> np.ndarray:
    """Daily prices from a CSV (sorted by its ``date`` column when it has one)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or column not in rows[0]:
        raise ValueError(f"--csv {path} has no column {column!r}")
    if "date" in rows[0]:
        rows.sort(key=lambda row: row["date"])
    return np.array([float(row[column]) for row in rows])


def _plot_rates(path: Path, rows: dict[str, dict[str, float | int | bool]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    names = list(rows)
    ax.bar(names, [100 * float(rows[n]["breach_rate"]) for n in names])
    ax.axhline(1.0, color="k", linestyle="--", label="expected 1 %")
    ax.set_ylabel("2-day IM breaches (%)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


@clearing_app.command()
def stress(
    members: int = typer.Option(8, "--members", help="sample clearing members"),
    seed: int = typer.Option(7, "--seed", help="seed of the sample positions"),
    as_json: JsonOpt = False,
) -> None:
    """Stress losses, SPAN margin and the Cover-2 default fund for a sample member set."""
    if members < 3:
        raise typer.BadParameter("need at least 3 members", param_hint="--members")
    contracts = ("SIT-M1", "SIT-M2", "SIT-M3", "SIT-M4")
    prices = np.array([2.00, 1.95, 1.90, 1.86])
    sigma = np.array([0.45, 0.40, 0.36, 0.33])
    positions = sample_members(members, contracts, np.random.default_rng(seed))
    run = run_stress(contracts, prices, sigma, positions)
    s = run.sizing
    report = adequacy(s.fund_size, Decimal(0), s.cover2)
    member_rows: list[dict[str, str]] = [
        {
            "member": m,
            "worst_stress_loss": str(s.worst_stress_loss[i]),
            "initial_margin": str(s.initial_margin[i]),
            "uncollateralised": str(s.uncollateralised[i]),
            "df_contribution": str(s.contributions[i]),
        }
        for i, m in enumerate(s.members)
    ]
    doc = {
        "members": member_rows,
        "cover2": str(s.cover2),
        "fund_size": str(s.fund_size),
        "adequate": report.adequate,
        "coverage_ratio": str(report.coverage_ratio),
        "scenarios": int(run.shocks.shape[1]),
    }
    if as_json:
        echo_json(doc)
        return
    table = Table(
        title=f"Stress test ({doc['scenarios']} scenarios) and Cover-2 default fund (USD)"
    )
    for col in ("member", "worst stress loss", "initial margin", "uncollateralised", "DF share"):
        table.add_column(col, justify="right")
    for row in member_rows:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)
    Console().print(f"Cover-2 = {s.cover2} USD; fund sized to {s.fund_size} USD")
