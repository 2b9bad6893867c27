"""Commands of the exchange area: drive the matching engine on a seeded order flow."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from tokenfutures.cli.options import JsonOpt, echo_json, value_table
from tokenfutures.core import accel
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import (
    ListContract,
    OpenMarket,
    Side,
    StartSession,
    apply_many,
    replay,
    state_hash,
)
from tokenfutures.exchange.array_engine import ArrayEngine
from tokenfutures.simulation.stream import apply_stream
from tokenfutures.simulation.workload import (
    SYMBOL,
    T0,
    Fill,
    fills_of,
    generate,
    opened_state,
    to_commands,
    workload_rules,
)

exchange_app = typer.Typer(help="The deterministic matching engine.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    root.add_typer(exchange_app, name="exchange")


def _depth_png(state: Any, path: Path) -> None:
    """Cumulative resting quantity by price on both sides (a depth chart)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    book = state.contracts[SYMBOL].book
    fig, ax = plt.subplots(figsize=(8, 4))
    for side, colour in ((Side.BUY, "tab:green"), (Side.SELL, "tab:red")):
        levels: dict[int, int] = {}
        for order in book.in_priority(side):
            levels[order.price] = levels.get(order.price, 0) + order.quantity
        prices = list(levels)
        cumulative, total = [], 0
        for price in prices:
            total += levels[price]
            cumulative.append(total)
        ax.step(prices, cumulative, where="post", color=colour, label=side.name.lower())
    ax.set_xlabel("price (ticks)")
    ax.set_ylabel("cumulative resting lots")
    ax.set_title(f"{SYMBOL} book depth after the simulated flow")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


#: Commands per progress step of the compiled path (each block is pipelined by apply_stream).
BLOCK = 250_000


def _run_python(commands: list[Any], progress: Progress) -> tuple[Any, list[Fill], float]:
    """``exchange.apply_many`` per block of 5,000 commands: state, fills and seconds."""
    state = opened_state()
    fills: list[Fill] = []
    task = progress.add_task("matching (apply_many)", total=len(commands))
    started = time.perf_counter()
    for at in range(0, len(commands), 5_000):
        for events in apply_many(state, commands[at : at + 5_000]):
            fills.extend(fills_of(events))
        progress.update(task, completed=min(len(commands), at + 5_000))
    return state, fills, time.perf_counter() - started


def _run_arrays(commands: list[Any], progress: Progress) -> tuple[Any, list[Fill], float]:
    """The compiled path: ``apply_stream`` per block (pipelined inside), fills read as columns."""
    warm = ArrayEngine(opened_state(), SYMBOL)  # load the compiled kernels before timing
    apply_stream(warm, commands[:100]).fills()
    engine = ArrayEngine(opened_state(), SYMBOL)
    columns = []
    task = progress.add_task("matching (arrays)", total=len(commands))
    started = time.perf_counter()
    for at in range(0, len(commands), BLOCK):
        block = commands[at : at + BLOCK]
        columns.append(apply_stream(engine, block).fills())
        progress.update(task, completed=at + len(block))
    seconds = time.perf_counter() - started
    fills = [pair for part in columns for pair in part.pairs()]
    return engine.state, fills, seconds


@exchange_app.command("simulate")
def simulate(
    messages: Annotated[int, typer.Option(help="Number of order-flow messages.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Seed of the order flow.")] = 1,
    cancel_share: Annotated[float, typer.Option(help="Share of cancels (0.30 deep).")] = 0.30,
    path: Annotated[
        str, typer.Option(help="auto (compiled when the stream is eligible), arrays or python.")
    ] = "auto",
    png: Annotated[Path | None, typer.Option(help="Write a depth chart PNG here.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a seeded order flow through the engine, check its fills and replay it by hash.

    The stream (plain limit/IOC orders and cancels of one contract in continuous trading) is
    eligible for the compiled path (``ArrayEngine``: encode, ``apply_arrays``, fill columns),
    which ``auto`` takes; ``python`` runs ``exchange.apply_many``. Both give the same state hash.
    """
    if messages <= 0:
        raise InvalidParameterError("messages", messages, "positive")
    if path not in ("auto", "arrays", "python"):
        raise InvalidParameterError("path", path, "auto, arrays or python")
    flow, expected, resting = generate(random.Random(seed), messages, cancel_share)
    commands = to_commands(flow)
    chosen = "python" if path == "python" else "arrays"
    with Progress(transient=True, disable=as_json) as progress:
        if chosen == "arrays":
            state, fills, seconds = _run_arrays(commands, progress)
        else:
            state, fills, seconds = _run_python(commands, progress)
    digest = state_hash(state)
    rules = workload_rules()
    replayed, _ = replay(
        [ListContract(T0, rules), StartSession(T0, SYMBOL), OpenMarket(T0, SYMBOL), *commands]
    )
    book = state.contracts[SYMBOL].book
    summary = {
        "messages": messages,
        "seed": seed,
        "trades": len(fills),
        "filled_lots": sum(f[3] for f in fills),
        "resting_orders": len(book),
        "best_bid_ticks": book.best_bid(),
        "best_ask_ticks": book.best_ask(),
        "fills_match_model": fills == expected and len(book) == resting,
        "state_hash": digest,
        "replay_hash_matches": state_hash(replayed) == digest,
        "path": chosen,
        "kernels": accel.backend(),  # numba, or the numpy twins without it (ADR 0371)
        "msgs_per_s": round(messages / seconds),
    }
    if png is not None:
        _depth_png(state, png)
        summary["png"] = str(png)
    if as_json:
        echo_json(summary)
        return
    rows = ((key.replace("_", " "), str(value)) for key, value in summary.items())
    Console().print(value_table(f"{SYMBOL}: {messages:,} messages, seed {seed}", "figure", rows))
