"""Commands of the index area: ``tokenfutures index fix | history | explain | grades``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.capability import CapabilityBook
from tokenfutures.index.fixing import IndexFixing, compute_fixing
from tokenfutures.index.grades import (
    book_from_grades,
    derive_grade_table,
    grade_table_text,
    packaged_grade_table,
)
from tokenfutures.index.grades_v2 import derive_grade_table_v2, with_packaged_grades
from tokenfutures.index.history import daily_history, level_series
from tokenfutures.index.methodology import (
    DEFAULT_METHODOLOGY,
    METHODOLOGY_VERSION,
    TPI2_VERSION,
    Methodology,
    methodology_named,
)
from tokenfutures.index.observations import SourceReport, require_observations
from tokenfutures.index.sit_gate import EPOCH_CREDIT
from tokenfutures.index.sources import (
    read_capability_book,
    read_delistings,
    read_genai_prices,
    read_llm_prices_json,
    read_price_csv,
)
from tokenfutures.index.sources.benchmark_csv import JOIN_NAME, with_benchmark_grades
from tokenfutures.index.sources.benchmark_csv import SCORES_NAME as BENCH_NAME
from tokenfutures.index.views import fixing_to_dict, plot_history
from tokenfutures.index.views_attribution import attribution_lines, plot_attribution

SCORES_NAME = "model_capability_scores.csv"
CROSSWALK_NAME = "model_capability_join.csv"
PRESENCE_NAME = "llm_price_model_presence.csv"

index_app = typer.Typer(
    help="Token Price Index: fixes, history, audit, SIT grade table.", no_args_is_help=True
)
_out = Console()

CsvOpt = Annotated[Path | None, typer.Option("--csv", help="price-history CSV")]
LlmOpt = Annotated[Path | None, typer.Option("--llm-prices", help="llm-prices JSON file")]
SourceOpt = Annotated[str, typer.Option("--source", help="genai-prices (embedded) if no file")]
ScoresOpt = Annotated[Path | None, typer.Option("--scores", help="capability scores CSV")]
WalkOpt = Annotated[Path | None, typer.Option("--crosswalk", help="model crosswalk CSV")]
AdjOpt = Annotated[str, typer.Option("--adjustment", help="tpi-1.0: ratio | hedonic | none")]
MethOpt = Annotated[str, typer.Option("--methodology", help="tpi-2.0 (settlement index) | tpi-1.0")]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    from tokenfutures.cli import index_compare_cmds  # noqa: F401  (registers `index compare`)

    root.add_typer(index_app, name="index")


def _prices(source: str, csv: Path | None, llm_prices: Path | None) -> SourceReport:
    if csv is not None:
        return require_observations(read_price_csv(csv))
    if llm_prices is not None:
        return require_observations(read_llm_prices_json(llm_prices))
    if source != "genai-prices":
        raise InvalidParameterError("source", source, "'genai-prices' or a --csv/--llm-prices file")
    return require_observations(read_genai_prices())


def _capabilities(
    scores: Path | None,
    crosswalk: Path | None,
    beside: Path | None,
    methodology: Methodology | None = None,
) -> tuple[CapabilityBook, str]:
    if scores is None and beside is not None and (beside.parent / SCORES_NAME).is_file():
        scores, crosswalk = beside.parent / SCORES_NAME, beside.parent / CROSSWALK_NAME
    if scores is not None:
        if crosswalk is None:
            raise InvalidParameterError("crosswalk", None, "given together with --scores")
        book, _ = read_capability_book(scores, crosswalk)
        name = f"{scores.name} + {crosswalk.name}"
        bench = scores.parent / BENCH_NAME
        if methodology is not None and methodology.version == TPI2_VERSION:
            if not bench.is_file():
                return with_packaged_grades(book), f"{name} + packaged SIT grade table"
            book = with_benchmark_grades(book, bench, scores.parent / JOIN_NAME, methodology)
            name = f"{name} + {bench.name} + {JOIN_NAME}"
        return book, name
    book = book_from_grades(packaged_grade_table())
    if methodology is not None and methodology.version == TPI2_VERSION:
        book = with_packaged_grades(book)
    return book, "packaged SIT grade table"


def _methodology(name: str, adjustment: str) -> Methodology:
    """The registered methodology ``name``; ``--adjustment`` applies to tpi-1.0 only."""
    if name == TPI2_VERSION:
        return methodology_named(name)
    return methodology_named(name, adjustment=adjustment)


def _delistings(beside: Path | None) -> dict[tuple[str, str, str], date]:
    """Delistings from the presence CSV beside a price file, when there is one."""
    if beside is None or not (beside.parent / PRESENCE_NAME).is_file():
        return {}
    delisted, _ = read_delistings(beside.parent / PRESENCE_NAME)
    return delisted


def _day(text: str | None) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError("date", text, "an ISO date YYYY-MM-DD") from None


def _fix(
    when: str | None,
    source: str,
    csv: Path | None,
    llm: Path | None,
    scores: Path | None,
    crosswalk: Path | None,
    adjustment: str,
    method: str = DEFAULT_METHODOLOGY,
) -> tuple[IndexFixing, SourceReport, str]:
    report = _prices(source, csv, llm)
    methodology = _methodology(method, adjustment)
    book, book_name = _capabilities(scores, crosswalk, csv or llm, methodology)
    delisted = _delistings(csv or llm)
    fix = compute_fixing(report.observations, methodology, _day(when), book, delisted=delisted)
    return fix, report, book_name


@index_app.command("fix")
def fix_command(
    when: Annotated[
        str | None, typer.Option("--date", help="fixing date (default today UTC)")
    ] = None,
    source: SourceOpt = "genai-prices",
    csv: CsvOpt = None,
    llm_prices: LlmOpt = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology: MethOpt = DEFAULT_METHODOLOGY,
    as_json: JsonOpt = False,
) -> None:
    """Fix the TPI on one date and show the level, sub-indices and cheapest-to-deliver."""
    fix, report, book_name = _fix(
        when, source, csv, llm_prices, scores, crosswalk, adjustment, methodology
    )
    if as_json:
        document = {**fixing_to_dict(fix, audit=False), "input": _input(report, book_name)}
        if fix.methodology_version == TPI2_VERSION:
            document["credit"] = EPOCH_CREDIT
        echo_json(document)
        return
    table = Table(title=f"TPI {fix.as_of} ({fix.status.value}, {fix.methodology_version})")
    table.add_column("series")
    table.add_column("USD per M SIT", justify="right")
    table.add_column("providers", justify="right")
    table.add_row("TPI", str(fix.level), str(len(fix.audit.providers)))
    for sub in fix.sub_indices:
        table.add_row(sub.name, str(sub.level), str(sub.providers))
    if fix.cheapest_to_deliver is not None:
        ctd = fix.cheapest_to_deliver
        table.add_row(f"cheapest: {ctd.provider}/{ctd.model}", f"{ctd.adjusted_price:.6f}", "1")
    _out.print(table)
    _out.print(report.summary() + f"; capability: {book_name}")
    if fix.methodology_version == TPI2_VERSION:
        _out.print(EPOCH_CREDIT)


@index_app.command("explain")
def explain_command(
    when: Annotated[
        str | None, typer.Option("--date", help="fixing date (default today UTC)")
    ] = None,
    source: SourceOpt = "genai-prices",
    csv: CsvOpt = None,
    llm_prices: LlmOpt = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology: MethOpt = DEFAULT_METHODOLOGY,
    as_json: JsonOpt = False,
) -> None:
    """Show a fix's audit trail: the move explained, constituents, weights, exclusions."""
    fix, _, _ = _fix(when, source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
    if as_json:
        echo_json(fixing_to_dict(fix, audit=True))
        return
    weights = Table(
        title=f"TPI {fix.as_of} = {fix.level} ({fix.status.value}, {fix.methodology_version})"
    )
    for column in ("provider", "route", "SIT price", "weight raw", "weight capped"):
        weights.add_column(column)
    for p in fix.audit.providers:
        weights.add_row(
            p.provider,
            p.model,
            f"{p.price:.6f}",
            f"{float(p.weight_before_cap):.4f}",
            f"{float(p.weight):.4f}",
        )
    routes = Table(title="qualifying routes (USD per M tokens; margin in Elo vs the anchor)")
    routes.add_column("route", overflow="fold", ratio=3)
    for column in ("blended", "margin", "factor", "adjusted", "tier"):
        routes.add_column(column, ratio=1)
    for r in fix.audit.constituents:
        routes.add_row(
            f"{r.provider}/{r.model}",
            f"{r.blended:.4f}",
            str(r.margin),
            f"{r.quality_factor:.4f}",
            f"{r.adjusted:.4f}",
            r.tier,
        )
    if fix.audit.attribution is not None:
        for line in attribution_lines(fix.audit.attribution):
            _out.print(line)
    _out.print(weights)
    _out.print(routes)
    reasons: dict[str, int] = {}
    for e in fix.audit.exclusions:
        key = re.split(r" for | \(|:| after ", e.reason)[0]
        reasons[key] = reasons.get(key, 0) + 1
    excluded = Table(title=f"{len(fix.audit.exclusions)} exclusions by reason")
    excluded.add_column("reason")
    excluded.add_column("routes", justify="right")
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        excluded.add_row(reason, str(count))
    _out.print(excluded)
    for note in fix.audit.notes:
        _out.print(f"note: {note}")


def tpi_fixes_from_price_csv(
    csv: Path,
    start: date,
    end: date,
    adjustment: str = "ratio",
    methodology_name: str = METHODOLOGY_VERSION,
) -> list[IndexFixing]:
    """Daily TPI fixes with their audit from a price-history CSV (scores beside it), as
    ``index history`` computes them."""
    report = _prices("csv", csv, None)
    methodology = _methodology(methodology_name, adjustment)
    book, _ = _capabilities(None, None, csv, methodology)
    return daily_history(report.observations, methodology, start, end, book, _delistings(csv))


def price_csv_span(csv: Path, today: date) -> tuple[date, date]:
    """First and last effective dates of a price-history CSV's rows, ignoring rows after ``today``
    (announced future prices)."""
    days = [o.effective for o in _prices("csv", csv, None).observations if o.effective <= today]
    if not days:
        raise InvalidParameterError("csv", str(csv), f"price rows dated on or before {today}")
    return min(days), max(days)


def tpi_levels_from_price_csv(
    csv: Path,
    start: date,
    end: date,
    adjustment: str = "ratio",
    methodology_name: str = METHODOLOGY_VERSION,
) -> list[tuple[date, Decimal]]:
    """Daily TPI levels ``(date, level)`` from a price-history CSV (scores beside it), for settlement.

    Still tpi-1.0 by default: final settlement and calibration move to tpi-2.0 together, with
    their pinned figures, by passing ``methodology_name=DEFAULT_METHODOLOGY`` (ADR 0211).
    """
    fixes = tpi_fixes_from_price_csv(csv, start, end, adjustment, methodology_name)
    return level_series(fixes)


@index_app.command("history")
def history_command(
    csv: Annotated[Path, typer.Option("--csv", help="price-history CSV")],
    start: Annotated[str, typer.Option("--from", help="first date")],
    end: Annotated[str, typer.Option("--to", help="last date")],
    plot: Annotated[
        Path | None, typer.Option("--plot", help="PNG of the history (log scale)")
    ] = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology_name: MethOpt = DEFAULT_METHODOLOGY,
    as_json: JsonOpt = False,
) -> None:
    """Daily fixes over a date range; optional log-scale plot (tpi-2.0: with attribution)."""
    report = _prices("csv", csv, None)
    methodology = _methodology(methodology_name, adjustment)
    book, _ = _capabilities(scores, crosswalk, csv, methodology)
    delisted = _delistings(csv)
    fixes = daily_history(report.observations, methodology, _day(start), _day(end), book, delisted)
    if plot is not None and methodology.version == TPI2_VERSION:
        plot_attribution(fixes, plot)
    elif plot is not None:
        plot_history(fixes, plot)
    if as_json:
        echo_json([fixing_to_dict(f, audit=False) for f in fixes])
        return
    series = level_series(fixes)
    table = Table(title=f"TPI {start} .. {end}: {len(series)} fixes of {len(fixes)} days")
    for column in ("date", "TPI", "status", "providers", "cheapest SIT"):
        table.add_column(column)
    step = max(1, len(fixes) // 24)
    for fix in fixes[::step]:
        ctd = fix.cheapest_to_deliver
        table.add_row(
            str(fix.as_of),
            str(fix.level),
            fix.status.value,
            str(len(fix.audit.providers)),
            f"{ctd.adjusted_price:.4f}" if ctd else "-",
        )
    _out.print(table)
    _out.print(report.summary() + (f"; plot written to {plot}" if plot else ""))


@index_app.command("grades")
def grades_command(
    scores: Annotated[Path, typer.Option("--scores", help="capability scores CSV")],
    crosswalk: Annotated[Path, typer.Option("--crosswalk", help="model crosswalk CSV")],
    out: Annotated[Path, typer.Option("--out", help="where to write the grade table JSON")],
    methodology_name: MethOpt = DEFAULT_METHODOLOGY,
) -> None:
    """Derive the SIT grade table artifact (route -> eligible, quality) of a methodology."""
    if methodology_name == TPI2_VERSION:
        _grades_v2(scores, crosswalk, out)
        return
    book, problems = read_capability_book(scores, crosswalk)
    table = derive_grade_table(book, methodology_named(methodology_name))
    out.write_text(grade_table_text(table), encoding="utf-8")
    eligible = sum(1 for g in table["routes"].values() if g["eligible"])
    _out.print(
        f"{len(table['routes'])} routes graded ({eligible} SIT-eligible) as of "
        f"{table['snapshot_date']}; {len(problems)} score rows reported; written to {out}"
    )


def _grades_v2(scores: Path, crosswalk: Path, out: Path) -> None:
    book, _ = _capabilities(scores, crosswalk, None, methodology_named(TPI2_VERSION))
    table = derive_grade_table_v2(book.sit_grades)
    out.write_text(grade_table_text(table), encoding="utf-8")
    eligible = sum(1 for g in table["routes"].values() if g["eligible"])
    _out.print(f"{len(table['routes'])} routes graded ({eligible} SIT-class); written to {out}")
    _out.print(EPOCH_CREDIT)


def _input(report: SourceReport, book_name: str) -> dict[str, Any]:
    return {
        "source": report.source,
        "observations": len(report.observations),
        "problems": len(report.problems),
        "capability": book_name,
    }
