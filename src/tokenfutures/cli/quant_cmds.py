"""Commands of the quant area: ``reproduce`` (the paper's §8 study) and ``simulate`` (ad-hoc runs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from tokenfutures.cli.options import JsonOpt, echo_json, value_table
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.core.series import SETTLEMENT_METHODOLOGY
from tokenfutures.quant.params import JumpDiffusionParams

_stdout = Console()
_stderr = Console(stderr=True)
_PARAM_FIELDS = tuple(f.name for f in fields(JumpDiffusionParams))


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on stderr; yields ``update(stage, done, total)``."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def parse_overrides(items: list[str]) -> dict[str, float]:
    """``NAME=VALUE`` pairs for fields of the model parameters; raises ``ValueError`` otherwise."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in _PARAM_FIELDS:
            raise InvalidParameterError("set", item, f"NAME=VALUE with NAME in {_PARAM_FIELDS}")
        try:
            out[name] = float(raw)
        except ValueError:
            raise InvalidParameterError(name, raw, "a number") from None
    return out


def _reproduce(
    paths: Annotated[int, typer.Option(help="Monte Carlo paths per run.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Root seed (>= 0); same seed, same results.json.")] = 1,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("reproduce-out"),
    steps_per_year: Annotated[int, typer.Option(help="Time steps a year (Figure 6 grid).")] = 252,
    as_json: Annotated[bool, typer.Option("--json", help="Print results.json to stdout.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Price-history CSV (e.g. ../shared/data/llm_price_history.csv): adds the "
            "real-data hedging backtest and the real-data column.",
        ),
    ] = None,
    calibrated: Annotated[
        bool,
        typer.Option(help="Fill the calibrated column from the latest packaged TPI preset."),
    ] = True,
) -> None:
    """Reproduce the paper's §8 study into OUT: report.md, report.html, PNG figures, results.json."""
    from dataclasses import replace

    from tokenfutures.reports.reproduce import results_json, write_report
    from tokenfutures.reports.study import StudySettings, run_study

    settings = StudySettings(n_paths=paths, seed=seed, steps_per_year=steps_per_year)
    if out.exists() and not out.is_dir():
        raise InvalidParameterError("out", str(out), "a directory (it is a file)")
    if csv is not None and not csv.is_file():
        raise InvalidParameterError("--csv", str(csv), "an existing price-history CSV")
    source = calibrated_source(SETTLEMENT_METHODOLOGY) if calibrated else None
    with _progress_bar(progress) as update:
        results = run_study(settings, update, source)
        results = replace(results, comparison=comparison_series(settings, csv, seed, calibrated))
        if csv is not None:
            fixes = real_backtest(csv, seed, SETTLEMENT_METHODOLOGY)
            results = replace(results, backtest=fixes, backtest_series=SETTLEMENT_METHODOLOGY)
            update("backtest", 1, 1)
    written = write_report(results, out)
    if as_json:
        typer.echo(results_json(results), nl=False)
        return
    for path in written:
        _stdout.print(f"wrote {path}", highlight=False)


def calibrated_source(series: str) -> tuple[str, JumpDiffusionParams] | None:
    """The latest packaged calibrated MRJD preset of the index ``series``, if one is packaged."""
    from tokenfutures.quant.calibration.presets import latest_preset

    try:
        found = latest_preset(series)
    except InvalidParameterError:
        return None
    return found.name, found.params()


def comparison_series(settings: Any, csv: Path | None, seed: int, calibrated: bool) -> Any:
    """The calibrated and real-data runs on tpi-1.0, kept beside the settlement series' (issue
    12); None when neither is asked for."""
    from tokenfutures.index.methodology import METHODOLOGY_VERSION
    from tokenfutures.reports.study import ComparisonSeries, run_calibrated

    if METHODOLOGY_VERSION == SETTLEMENT_METHODOLOGY or (csv is None and not calibrated):
        return None
    source = calibrated_source(METHODOLOGY_VERSION) if calibrated else None
    return ComparisonSeries(
        METHODOLOGY_VERSION,
        real_backtest(csv, seed, METHODOLOGY_VERSION) if csv is not None else None,
        run_calibrated(settings, *source) if source is not None else None,
    )


def real_backtest(csv: Path, seed: int, methodology: str) -> Any:
    """The real-data hedging backtest on the listed SIT contract, on the index service's fixes
    of ``methodology`` (as ``index history --methodology`` publishes them)."""
    from tokenfutures.contracts import product_spec
    from tokenfutures.core.clock import SystemClock
    from tokenfutures.index.sources.inputs import open_index_service
    from tokenfutures.reports.backtest import run_backtest

    now = SystemClock().now()
    service = open_index_service(csv, methodology=methodology)
    first, last = service.inputs.span(service.latest_day(now))
    fixes = [p.fixing for p in service.history(first, last, now)]
    return run_backtest(fixes, product_spec("SIT"), last, seed=seed)


def simulation_summary(
    preset_name: str, overrides: dict[str, float], paths: int, years: float, seed: int, spy: int
) -> dict[str, Any]:
    """Run the Monte Carlo engine for a named preset and summarise it (JSON-ready)."""
    from tokenfutures.quant.montecarlo import run_monte_carlo
    from tokenfutures.quant.process import uniform_grid
    from tokenfutures.quant.scenarios import named_params

    params = named_params(preset_name).with_changes(**overrides)
    if not years > 0:
        raise InvalidParameterError("years", years, "> 0")
    if spy <= 0:
        raise InvalidParameterError("steps_per_year", spy, "> 0")
    if paths <= 0:
        raise InvalidParameterError("paths", paths, "a positive integer")
    grid = uniform_grid(years, max(1, round(years * spy)))
    with _progress_bar(paths >= 50_000) as update:
        mc = run_monte_carlo(params, grid, paths, seed, progress=lambda d, t: update("paths", d, t))
    full = mc.to_dict()
    return {
        "preset": preset_name,
        "params": params.to_dict(),
        "paths": paths,
        "years": years,
        "steps_per_year": spy,
        "seed": seed,
        "terminal": full["terminal_summary"],
        "rise_share": mc.rise_share,
        "swing_share": mc.swing_share,
        "vol_term_structure": {
            f"{12 * float(h):g}m": float(v)
            for h, v in zip(mc.vol_horizons, mc.vol_term_structure, strict=True)
        },
    }


def _simulate(
    preset: Annotated[str, typer.Option(help="paper, baseline, optimistic or pessimistic.")] = (
        "paper"
    ),
    paths: Annotated[int, typer.Option(help="Number of paths.")] = 10_000,
    years: Annotated[float, typer.Option(help="Horizon in years.")] = 3.0,
    seed: Annotated[int, typer.Option(help="Root seed (>= 0).")] = 1,
    steps_per_year: Annotated[int, typer.Option(help="Time steps a year.")] = 252,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a parameter, NAME=VALUE (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Ad-hoc Monte Carlo run of a preset: terminal distribution, path statistics, volatilities."""
    summary = simulation_summary(
        preset, parse_overrides(set_ or []), paths, years, seed, steps_per_year
    )
    if as_json:
        echo_json(summary)
        return
    rows = [(f"P_T {key} ($/M SIT)", f"{value:.4f}") for key, value in summary["terminal"].items()]
    rows.append(("share with a >= 100 % rise", f"{100 * summary['rise_share']:.2f} %"))
    rows.append(("share with a > 5x swing", f"{100 * summary['swing_share']:.2f} %"))
    for horizon, vol in summary["vol_term_structure"].items():
        rows.append((f"volatility {horizon}", f"{100 * vol:.1f} %"))
    title = f"{preset}: {paths:,} paths, {years:g} years, seed {seed}"
    _stdout.print(value_table(title, "statistic", rows))


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.command("reproduce")(_reproduce)
    root.command("simulate")(_simulate)
