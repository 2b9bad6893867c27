"""The venue's CLI commands: a seeded day, then a replay check of the store it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from tokenfutures.cli.venue_cmds import register


def _app() -> typer.Typer:
    root = typer.Typer()
    register(root)

    @root.command()
    def noop() -> None:  # a second command keeps "venue" a sub-command
        """Nothing."""

    return root


def test_day_then_replay(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'day.db'}"
    png = tmp_path / "curve.png"
    runner = CliRunner()
    day = runner.invoke(
        _app(), ["venue", "day", "--database", url, "--orders", "300", "--json", "--png", str(png)]
    )
    assert day.exit_code == 0, day.output
    summary = json.loads(day.output.strip().splitlines()[-1])
    assert summary["orders"] == 300
    assert summary["trades"] > 0
    assert len(summary["end_of_day"]["settlements"]) == 10
    assert png.stat().st_size > 1000
    replay = runner.invoke(_app(), ["venue", "replay", "--database", url, "--json"])
    assert replay.exit_code == 0, replay.output
    checked = json.loads(replay.output.strip().splitlines()[-1])
    assert checked["match"] is True
    assert checked["replay_hash"] == summary["state_hash"]
    human = runner.invoke(_app(), ["venue", "replay", "--database", url])
    assert "match" in human.output
