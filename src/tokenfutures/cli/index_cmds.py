"""Commands of the index area: ``tokenfutures index fix | history | explain | grades``."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tokenfutures.core.clock import SystemClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.grades import derive_grade_table, grade_table_text
from tokenfutures.index.methodology import Methodology
from tokenfutures.index.publication import PublishedFix
from tokenfutures.index.service import IndexService
from tokenfutures.index.sources import read_capability_book
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.index.views import plot_history, published_to_dict

index_app = typer.Typer(
    help="Token Price Index: fixes, history, audit, SIT grade table.", no_args_is_help=True
)
_out = Console()

CsvOpt = Annotated[Path | None, typer.Option("--csv", help="price-history CSV")]
LlmOpt = Annotated[Path | None, typer.Option("--llm-prices", help="llm-prices JSON file")]
SourceOpt = Annotated[str, typer.Option("--source", help="genai-prices (embedded) if no file")]
ScoresOpt = Annotated[Path | None, typer.Option("--scores", help="capability scores CSV")]
WalkOpt = Annotated[Path | None, typer.Option("--crosswalk", help="model crosswalk CSV")]
AdjOpt = Annotated[str, typer.Option("--adjustment", help="ratio | hedonic | none")]
MethOpt = Annotated[
    str | None, typer.Option("--methodology", help="methodology version (default: the house's)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable JSON")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="fixing date (default: the latest published)")
]


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(index_app, name="index")


def _service(
    source: str,
    csv: Path | None,
    llm: Path | None,
    scores: Path | None,
    crosswalk: Path | None,
    adjustment: str,
    methodology: str | None,
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


def _day(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidParameterError("date", text, "an ISO date YYYY-MM-DD") from None


def _fix(when: str | None, service: IndexService) -> PublishedFix:
    now = SystemClock().now()
    return service.fix(_day(when, service.latest_day(now)), now)


@index_app.command("fix")
def fix_command(
    when: DateOpt = None,
    source: SourceOpt = "genai-prices",
    csv: CsvOpt = None,
    llm_prices: LlmOpt = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology: MethOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fix the TPI on one date and show the level, sub-indices and cheapest-to-deliver."""
    service = _service(source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
    published = _fix(when, service)
    fix = published.fixing
    if as_json:
        document = published_to_dict(published, audit=False)
        policy = service.policy.to_dict()
        typer.echo(json.dumps({**document, "input": _input(service), "policy": policy}))
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


def _publication_line(published: PublishedFix) -> str:
    line = (
        f"published {published.published_at:%Y-%m-%d %H:%M} UTC (revision {published.revision}, "
        f"{published.reason}); newest price observation {published.newest_observation}"
    )
    if published.withheld_reason is not None:
        line += f"; {published.withheld_reason}"
    return line


@index_app.command("explain")
def explain_command(
    when: DateOpt = None,
    source: SourceOpt = "genai-prices",
    csv: CsvOpt = None,
    llm_prices: LlmOpt = None,
    scores: ScoresOpt = None,
    crosswalk: WalkOpt = None,
    adjustment: AdjOpt = "ratio",
    methodology: MethOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a fix's audit trail: constituents, weights before/after the cap, exclusions."""
    service = _service(source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
    published = _fix(when, service)
    if as_json:
        typer.echo(json.dumps(published_to_dict(published, audit=True)))
        return
    fix = published.fixing
    weights = Table(title=f"TPI {fix.as_of} = {published.level} ({fix.status.value})")
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
    _out.print(weights)
    _out.print(routes)
    _out.print(_exclusions_table(published))
    for note in fix.audit.notes:
        _out.print(f"note: {note}")
    _out.print(_publication_line(published))


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
    methodology: MethOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Daily published fixes over a date range (the full chain-linked history by default)."""
    service = _service(source, csv, llm_prices, scores, crosswalk, adjustment, methodology)
    now = SystemClock().now()
    last = _day(end, service.latest_day(now))
    published = service.history(_day(start, service.first_day), last, now)
    if plot is not None:
        plot_history([p.fixing for p in published], plot)
    if as_json:
        typer.echo(json.dumps([published_to_dict(p, audit=False) for p in published]))
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
) -> None:
    """Derive the SIT grade table artifact (route -> eligible, quality factor)."""
    book, problems = read_capability_book(scores, crosswalk)
    table = derive_grade_table(book, Methodology())
    out.write_text(grade_table_text(table), encoding="utf-8")
    eligible = sum(1 for g in table["routes"].values() if g["eligible"])
    _out.print(
        f"{len(table['routes'])} routes graded ({eligible} SIT-eligible) as of "
        f"{table['snapshot_date']}; {len(problems)} score rows reported; written to {out}"
    )


def _input(service: IndexService) -> dict[str, object]:
    inputs = service.inputs
    return {
        "source": inputs.price_source,
        "observations": len(inputs.observations),
        "problems": inputs.price_problems,
        "capability": inputs.capability_source,
    }
