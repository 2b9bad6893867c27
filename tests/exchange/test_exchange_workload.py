"""The seeded benchmark workload: an independent book model is an oracle for both books."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tokenfutures.cli import exchange_cmds
from tokenfutures.exchange import ReferenceBook, apply
from tokenfutures.exchange.state import BookFactory
from tokenfutures.simulation.workload import (
    SYMBOL,
    fills_of,
    generate,
    opened_state,
    to_commands,
)


@pytest.mark.parametrize("cancel_share", [0.30, 0.38])
def test_engine_reproduces_the_model_fills(book_factory: BookFactory, cancel_share: float) -> None:
    flow, expected, resting = generate(random.Random(7), 3_000, cancel_share)
    kinds = [m[0] for m in flow]
    assert 0.5 * len(flow) < kinds.count("L") < 0.7 * len(flow)
    assert kinds.count("I") > 0.05 * len(flow)
    state = opened_state(book_factory)
    fills = []
    for command in to_commands(flow):
        _, events = apply(state, command)
        fills.extend(fills_of(events))
    assert len(expected) > 100
    assert fills == expected
    assert len(state.contracts[SYMBOL].book) == resting


def test_generator_is_seeded() -> None:
    one = generate(random.Random(3), 500)
    two = generate(random.Random(3), 500)
    three = generate(random.Random(4), 500)
    assert one == two
    assert one != three
    with pytest.raises(ValueError, match="cancel_share"):
        generate(random.Random(3), 10, cancel_share=0.95)


def test_reference_book_agrees_on_a_cancel_heavy_stream() -> None:
    flow, expected, _ = generate(random.Random(11), 1_500, 0.45)
    state = opened_state(ReferenceBook)
    fills = [f for c in to_commands(flow) for f in fills_of(apply(state, c)[1])]
    assert fills == expected


def test_cli_simulate_prints_json_and_a_png(tmp_path: Path) -> None:
    app = typer.Typer()
    exchange_cmds.register(app)

    @app.command()
    def noop() -> None:
        """Keep typer in multi-command mode."""

    png = tmp_path / "depth.png"
    result = CliRunner().invoke(
        app, ["exchange", "simulate", "--messages", "2000", "--json", "--png", str(png)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["fills_match_model"] is True
    assert summary["replay_hash_matches"] is True
    assert summary["trades"] > 0
    assert png.stat().st_size > 1_000


def test_cli_simulate_rejects_a_bad_count() -> None:
    app = typer.Typer()
    exchange_cmds.register(app)

    @app.command()
    def noop() -> None:
        """Keep typer in multi-command mode."""

    result = CliRunner().invoke(app, ["exchange", "simulate", "--messages", "0"])
    assert isinstance(result.exception, ValueError)
