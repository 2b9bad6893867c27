"""``tokenfutures calibrate``: fit the price models to the daily TPI history and compare them.

The TPI levels come from the index service, the same path as ``index history`` (ADR 0233);
everything statistical is ``tokenfutures.quant.calibration``.
"""

from __future__ import annotations

import csv as csvlib
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.cli.quant_cmds import _progress_bar
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY, METHODOLOGY_VERSION
from tokenfutures.index.sources import read_price_csv
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.quant.calibration import DailySeries, daily_series
from tokenfutures.quant.calibration.compare import (
    MODELS,
    Comparison,
    compare_models,
    ranked,
    table3_comparison,
)
from tokenfutures.quant.calibration.presets import (
    merge_presets,
    preset_from_fit,
    presets_from_text,
    presets_text,
)

_out = Console()


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError(name, text, "an ISO date YYYY-MM-DD") from None


def series_label(methodology: str, adjustment: str) -> str:
    """The preset series name: the methodology, with the adjustment where it applies."""
    return f"{methodology}-{adjustment}" if methodology == METHODOLOGY_VERSION else methodology


def tpi_series(
    csv: Path,
    first: date | None,
    last: date | None,
    adjustment: str,
    resolution: float,
    methodology: str = METHODOLOGY_VERSION,
) -> DailySeries:
    """The daily TPI fixes of a price-history CSV as a series (gaps and bad levels rejected)."""
    if not csv.is_file():
        raise InvalidParameterError("csv", str(csv), "a readable price-history CSV file")
    try:
        observations = read_price_csv(csv).observations
    except (OSError, UnicodeDecodeError) as bad:
        raise InvalidParameterError(
            "csv", str(csv), f"a readable UTF-8 CSV ({type(bad).__name__})"
        ) from None
    today = datetime.now(UTC).date()
    dates = [o.effective for o in observations if o.effective <= today]
    if not dates:
        raise InvalidParameterError("csv", str(csv), "at least one dated price up to today")
    start, end = first or min(dates), last or max(dates)
    service = open_index_service(csv, methodology=methodology, adjustment=adjustment)
    now = datetime.now(UTC)
    levels = service.levels(start, min(end, service.latest_day(now)), now)
    if not levels:
        raise InvalidParameterError("window", f"{start}..{end}", "a window with TPI fixes")
    return daily_series(
        [d for d, _ in levels],
        [float(v) for _, v in levels],
        resolution=resolution,
        name=f"TPI {series_label(methodology, adjustment)} ({csv.name})",
    )


def levels_series(path: Path, resolution: float) -> DailySeries:
    """A daily series from a CSV with ``date`` and ``level`` columns (any index, any source)."""
    if not path.is_file():
        raise InvalidParameterError("levels", str(path), "a readable CSV file")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csvlib.DictReader(handle))
    except (OSError, UnicodeDecodeError) as bad:
        raise InvalidParameterError(
            "levels", str(path), f"a UTF-8 CSV ({type(bad).__name__})"
        ) from None
    if not rows or not {"date", "level"} <= set(rows[0]):
        raise InvalidParameterError("levels", str(path), "a CSV with columns date and level")
    try:
        values = [float(r["level"]) for r in rows]
    except (TypeError, ValueError):
        raise InvalidParameterError("levels", str(path), "numeric levels") from None
    return daily_series([r["date"] for r in rows], values, resolution=resolution, name=path.stem)


def _models(names: list[str] | None) -> list[str]:
    chosen = names or list(MODELS)
    for name in chosen:
        if name not in MODELS:
            raise InvalidParameterError("model", name, f"one of {', '.join(MODELS)}")
    return list(dict.fromkeys(chosen))


def calibrate_command(
    csv: Annotated[
        Path | None, typer.Option("--csv", help="price-history CSV (as for index history)")
    ] = None,
    levels: Annotated[
        Path | None, typer.Option("--levels", help="any daily series: a CSV with date,level")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="first date (default: data start)")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="last date (default: last price date)")
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", help="mrjd, step, gbm, regime (repeatable)")
    ] = None,
    every: Annotated[int, typer.Option(help="days between observations (7: weekly)")] = 1,
    origins: Annotated[int, typer.Option(help="rolling out-of-sample origins (0: none)")] = 10,
    bootstrap: Annotated[int, typer.Option(help="parametric-bootstrap replications")] = 0,
    seed: Annotated[int, typer.Option(help="seed of the bootstrap (>= 0)")] = 1,
    resolution: Annotated[float, typer.Option(help="absolute precision of the levels")] = 1e-6,
    adjustment: Annotated[str, typer.Option(help="ratio | hedonic | none (tpi-1.0)")] = "ratio",
    methodology: Annotated[
        str,
        typer.Option("--methodology", help="tpi-2.0 (what contracts settle on) | tpi-1.0"),
    ] = DEFAULT_METHODOLOGY,
    break_at: Annotated[
        str | None, typer.Option("--break-at", help="also test for a parameter break at DATE")
    ] = None,
    save_preset: Annotated[
        Path | None, typer.Option("--save-preset", help="add the MRJD fit to this presets file")
    ] = None,
    as_json: JsonOpt = False,
    progress: Annotated[bool, typer.Option(help="progress bar on stderr")] = True,
) -> None:
    """Fit the MRJD, step, GBM and regime models to the TPI (or any daily series given with
    --levels); tests, criteria, forecasts, Table 3."""
    names = _models(model)
    if bootstrap < 0 or seed < 0 or origins < 0:
        raise InvalidParameterError("bootstrap/seed/origins", (bootstrap, seed, origins), ">= 0")
    first, last = _day(start, "from"), _day(end, "to")
    if (csv is None) == (levels is None):
        raise InvalidParameterError("input", "--csv/--levels", "exactly one of --csv or --levels")
    if csv is not None:
        series = tpi_series(csv, first, last, adjustment, resolution, methodology)
    else:
        assert levels is not None
        series = levels_series(levels, resolution).between(first, last)
    series = series.thin(every)
    rng = np.random.default_rng(seed)
    with _progress_bar(progress) as update:
        comparison = compare_models(
            series, names, origins, bootstrap, rng, update, _day(break_at, "break-at")
        )
    label = series_label(methodology, adjustment) if csv is not None else series.name
    saved = _save(save_preset, comparison, label) if save_preset else None
    report = _report(series, comparison, saved)
    if as_json:
        echo_json(report)
        return
    _render(report, comparison)


def _save(path: Path, comparison: Comparison, label: str) -> str:
    fit = comparison.fits.get("mrjd")
    if fit is None:
        raise InvalidParameterError("save-preset", str(path), "used with the mrjd model")
    old = presets_from_text(path.read_text("utf-8")) if path.is_file() else []
    preset = preset_from_fit(fit, label, datetime.now(UTC).date())
    path.write_text(presets_text(merge_presets(old, preset)), "utf-8")
    return preset.name


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _report(series: DailySeries, comparison: Comparison, saved: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "series": series.name,
        "window": {"from": series.dates[0].isoformat(), "to": series.dates[-1].isoformat()},
        "observations": int(series.levels.size),
        "step_days": series.step_days,
        **comparison.to_dict(),
        "table3": table3_comparison(comparison.fits["mrjd"]) if "mrjd" in comparison.fits else [],
        "table3_note": "Table 3 values are the paper's assumptions, not estimates",
        "saved_preset": saved,
    }
    return dict(_clean(out))


def _render(report: dict[str, Any], comparison: Comparison) -> None:
    _out.print(
        f"{report['series']}: {report['window']['from']} .. {report['window']['to']}, "
        f"{report['observations']} levels every {report['step_days']} day(s)",
        highlight=False,
    )
    for fit in comparison.fits.values():
        _out.print(fit.summary(), highlight=False)
        _out.print()
    if report["table3"]:
        t = Table(title="MRJD: what the data say vs the paper's Table 3 (assumed values)")
        for col in ("parameter", "Table 3 (assumed)", "estimate", "std err", "z vs Table 3"):
            t.add_column(col, justify="right")
        for r in report["table3"]:
            z = r["z_vs_table3"]
            se = r["std_error"]
            t.add_row(
                r["parameter"] + ("" if r["identified"] else " (not identified)"),
                f"{r['table3_assumed']:.4g}",
                f"{r['estimate']:.4g}",
                "n/a" if se is None else f"{se:.3g}",
                "n/a" if z is None else f"{z:.1f}",
            )
        _out.print(t)
    _tables(report, comparison)


def _tables(report: dict[str, Any], comparison: Comparison) -> None:
    tests = Table(title="likelihood-ratio tests")
    for col in ("restriction", "LR", "df", "p-value", "note"):
        tests.add_column(col)
    for t in report["lr_tests"]:
        tests.add_row(
            t["name"], f"{t['statistic']:.2f}", str(t["df"]), f"{t['p_value']:.3g}", t["note"]
        )
    _out.print(tests)
    crit = Table(title="information criteria (best AIC first)")
    for col in ("model", "logL", "k", "AIC", "dAIC", "BIC", "dBIC", "Akaike weight"):
        crit.add_column(col, justify="right")
    for r in report["criteria"]:
        crit.add_row(
            str(r["model"]),
            f"{r['loglik']:.2f}",
            f"{r['n_free']:.0f}",
            f"{r['aic']:.2f}",
            f"{r['delta_aic']:.2f}",
            f"{r['bic']:.2f}",
            f"{r['delta_bic']:.2f}",
            f"{r['akaike_weight']:.3f}",
        )
    _out.print(crit)
    if comparison.forecasts:
        oos = Table(title="rolling-origin one-step forecasts (best log score first)")
        for col in ("model", "forecasts", "log score", "CRPS", "PIT in 50 %", "PIT in 90 %"):
            oos.add_column(col, justify="right")
        for f in ranked(comparison.forecasts):
            oos.add_row(
                f.model,
                str(f.n_forecasts),
                f"{f.log_score:.4f}",
                f"{f.crps:.6f}",
                f"{f.coverage_50:.2f}",
                f"{f.coverage_90:.2f}",
            )
        _out.print(oos)
    if report["saved_preset"]:
        _out.print(f"saved preset {report['saved_preset']}", highlight=False)


def register(root: typer.Typer) -> None:
    """Add ``calibrate`` to the root app."""
    root.command("calibrate")(calibrate_command)
