"""Commands of the index area: ``tokenfutures index fix | history | explain | grades``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.cli.options import JsonOpt, echo_json
from tokenfutures.core.clock import SystemClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.grades import derive_grade_table, grade_table_text
from tokenfutures.index.grades_v2 import derive_grade_table_v2
from tokenfutures.index.methodology import DEFAULT_METHODOLOGY, TPI2_VERSION, methodology_named
from tokenfutures.index.publication import PublishedFix
from tokenfutures.index.service import IndexService
from tokenfutures.index.sit_gate import EPOCH_CREDIT
from tokenfutures.index.sources import read_capability_book
from tokenfutures.index.sources.inputs import capability_book, open_index_service
from tokenfutures.index.views import plot_history, published_to_dict
from tokenfutures.index.views_attribution import attribution_lines, plot_attribution

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
DateOpt = Annotated[
    str | None, typer.Option("--date", help="fixing date (default: the latest published)")
]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    from tokenfutures.cli import (
        index_compare_cmds,  # noqa: F401  (registers `index compare`)
        index_correct_cmds,  # noqa: F401  (registers `index correct`)
    )

    root.add_typer(index_app, name="index")


def _service(
    source: str,
    csv: Path | None,
    llm: Path | None,
    scores: Path | None,
    crosswalk: Path | None,
    adjustment: str,
    methodology: str,
) -> IndexService:
    if csv is not None and llm is not None:
        raise InvalidParameterError("--csv/--llm-prices", None, "at most one price file")
    return open_index_service(
        csv or llm,
        source=source,
        llm_prices=llm is not None,
        scores=scores,
        crosswalk=crosswalk,
        methodology=methodology,
        adjustment=adjustment,
    )


def parse_day(text: str) -> date:
    """An ISO date from the command line (bad text: one clear line, exit 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError("date", text, "an ISO date YYYY-MM-DD") from None


def _day(text: str | None, default: date) -> date:
    return default if text is None else parse_day(text)


def _fix(when: str | None, service: IndexService) -> PublishedFix:
    now = SystemClock().now()
    return service.fix(_day(when, service.latest_day(now)), now)


Show = Callable[[IndexService, PublishedFix, bool], None]


def _fix_command(name: str) -> Callable[[Show], Show]:
    """Register ``show`` as ``index NAME``: the fixing options, one fix, then ``show`` prints it.

    ``fix`` and ``explain`` take the same options and fix the same day; only what they print
    differs. The command's help is ``show``'s docstring.
    """

    def register(show: Show) -> Show:
        def command(
            when: DateOpt = None,
            source: SourceOpt = "genai-prices",
            csv: CsvOpt = None,
            llm_prices: LlmOpt = None,
            scores: ScoresOpt = None,
            crosswalk: WalkOpt = None,
            adjustment: AdjOpt = "ratio",
            methodology: MethOpt = DEFAULT_METHODOLOGY,
            as_json: JsonOpt = False,
        ) -> None:
            service = _service(source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
            show(service, _fix(when, service), as_json)

        command.__doc__ = show.__doc__
        index_app.command(name)(command)
        return show

    return register


@_fix_command("fix")
def fix_command(service: IndexService, published: PublishedFix, as_json: bool) -> None:
    """Fix the TPI on one date and show the level, sub-indices and cheapest-to-deliver."""
    fix = published.fixing
    if as_json:
        document = published_to_dict(published, audit=False)
        policy = service.policy.to_dict()
        document |= {"input": _input(service), "policy": policy} | _credit(published)
        echo_json(document)
        return
    table = Table(title=f"TPI {fix.as_of} ({fix.status.value}, {fix.methodology_version})")
    table.add_column("series")
    table.add_column("USD per M SIT", justify="right")
    table.add_column("providers", justify="right")
    table.add_row("TPI", str(published.level), str(len(fix.audit.providers)))
    for sub in fix.sub_indices:
        table.add_row(sub.name, str(sub.level), str(sub.providers))
    if fix.cheapest_to_deliver is not None:
        ctd = fix.cheapest_to_deliver
        table.add_row(f"cheapest: {ctd.provider}/{ctd.model}", f"{ctd.adjusted_price:.6f}", "1")
    _out.print(table)
    _out.print(_publication_line(published))
    _out.print(service.inputs.summary())
    for credit in _credit(published).values():
        _out.print(credit)


def _credit(published: PublishedFix) -> dict[str, str]:
    """Epoch AI's credit wherever its data fixed the number (tpi-2.0's benchmark gate)."""
    return {"credit": EPOCH_CREDIT} if published.methodology_version == TPI2_VERSION else {}


def _publication_line(published: PublishedFix) -> str:
    line = (
        f"published {published.published_at:%Y-%m-%d %H:%M} UTC (revision {published.revision}, "
        f"{published.reason}); newest price observation {published.newest_observation}"
    )
    if published.withheld_reason is not None:
        line += f"; {published.withheld_reason}"
    return line


@_fix_command("explain")
def explain_command(service: IndexService, published: PublishedFix, as_json: bool) -> None:
    """Show a fix's audit trail: constituents, weights before/after the cap, exclusions."""
    if as_json:
        echo_json(published_to_dict(published, audit=True))
        return
    fix = published.fixing
    title = f"TPI {fix.as_of} = {published.level} ({fix.status.value}, {fix.methodology_version})"
    weights = Table(title=title)
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
    _out.print(_exclusions_table(published))
    for note in fix.audit.notes:
        _out.print(f"note: {note}")
    _out.print(_publication_line(published))
    for credit in _credit(published).values():
        _out.print(credit)


def _exclusions_table(published: PublishedFix) -> Table:
    reasons: dict[str, int] = {}
    for e in published.fixing.audit.exclusions:
        key = re.split(r" for | \(|:| after ", e.reason)[0]
        reasons[key] = reasons.get(key, 0) + 1
    excluded = Table(title=f"{len(published.fixing.audit.exclusions)} exclusions by reason")
    excluded.add_column("reason")
    excluded.add_column("routes", justify="right")
    for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        excluded.add_row(reason, str(count))
    return excluded


@index_app.command("history")
def history_command(
    csv: CsvOpt = None,
    start: Annotated[
        str | None, typer.Option("--from", help="first date (default: the first price)")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="last date (default: the latest published)")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="PNG of the history (log scale)")
    ] = None,
    source: SourceOpt = "genai-prices",
    llm_prices: LlmOpt = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology: MethOpt = DEFAULT_METHODOLOGY,
    as_json: JsonOpt = False,
) -> None:
    """Daily published fixes over a date range (the full history by default); optional plot.

    tpi-2.0's plot shows the attribution of each move.
    """
    service = _service(source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
    now = SystemClock().now()
    last = _day(end, service.latest_day(now))
    published = service.history(_day(start, service.first_day), last, now)
    if plot is not None and service.version == TPI2_VERSION:
        plot_attribution([p.fixing for p in published], plot)
    elif plot is not None:
        plot_history([p.fixing for p in published], plot)
    if as_json:
        echo_json([published_to_dict(p, audit=False) for p in published])
        return
    levels = sum(1 for p in published if p.level is not None)
    first = published[0].day
    table = Table(title=f"TPI {first} .. {last}: {levels} fixes of {len(published)} days")
    for column in ("date", "TPI", "status", "providers", "cheapest SIT"):
        table.add_column(column)
    step = max(1, len(published) // 24)
    for p in published[::step]:
        ctd = p.fixing.cheapest_to_deliver
        table.add_row(
            str(p.day),
            str(p.level),
            p.status.value,
            str(len(p.fixing.audit.providers)),
            f"{ctd.adjusted_price:.4f}" if ctd else "-",
        )
    _out.print(table)
    _out.print(service.inputs.summary() + (f"; plot written to {plot}" if plot else ""))


@index_app.command("grades")
def grades_command(
    scores: Annotated[Path, typer.Option("--scores", help="capability scores CSV")],
    crosswalk: Annotated[Path, typer.Option("--crosswalk", help="model crosswalk CSV")],
    out: Annotated[Path, typer.Option("--out", help="where to write the grade table JSON")],
    methodology: MethOpt = DEFAULT_METHODOLOGY,
) -> None:
    """Derive the SIT grade table artifact (route -> eligible, quality) of a methodology."""
    if methodology == TPI2_VERSION:
        _grades_v2(scores, crosswalk, out)
        return
    book, problems = read_capability_book(scores, crosswalk)
    table = derive_grade_table(book, methodology_named(methodology))
    out.write_text(grade_table_text(table), encoding="utf-8")
    eligible = sum(1 for g in table["routes"].values() if g["eligible"])
    _out.print(
        f"{len(table['routes'])} routes graded ({eligible} SIT-eligible) as of "
        f"{table['snapshot_date']}; {len(problems)} score rows reported; written to {out}"
    )


def _grades_v2(scores: Path, crosswalk: Path, out: Path) -> None:
    book, _ = capability_book(scores, crosswalk, None, methodology_named(TPI2_VERSION))
    table = derive_grade_table_v2(book.sit_grades)
    out.write_text(grade_table_text(table), encoding="utf-8")
    eligible = sum(1 for g in table["routes"].values() if g["eligible"])
    _out.print(f"{len(table['routes'])} routes graded ({eligible} SIT-class); written to {out}")
    _out.print(EPOCH_CREDIT)


def _input(service: IndexService) -> dict[str, object]:
    inputs = service.inputs
    return {
        "source": inputs.price_source,
        "observations": len(inputs.observations),
        "problems": inputs.price_problems,
        "capability": inputs.capability_source,
    }
