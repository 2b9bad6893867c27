"""The pipelined stream runtime: a worker thread applies chunk k while chunk k+1 is encoded.

Whatever the runner, the results must be ``exchange.apply_many``'s (events, state hash), the
collector must be left as it was found, and a failing chunk must raise after the chunks
before it are applied.
"""

from __future__ import annotations

import gc
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import AdvanceTime, NewOrder, OrderAccepted, apply_many, state_hash
from tokenfutures.exchange.array_engine import ArrayEngine, run_here
from tokenfutures.simulation.stream import WorkerThread, apply_stream
from tokenfutures.simulation.workload import SYMBOL, generate, opened_state, to_commands


def loop_run(commands: list[Any]) -> tuple[list[Any], str]:
    """Every event and the final hash of ``exchange.apply_many`` (the reference)."""
    state = opened_state()
    events = [e for per_command in apply_many(state, commands) for e in per_command]
    return events, state_hash(state)


def with_accounts(commands: list[Any], rng: random.Random) -> list[Any]:
    """The workload's commands with orders spread over four accounts, cancels by the owner."""
    state = opened_state()
    owners: dict[int, str] = {}
    out = []
    for command in commands:
        if type(command) is NewOrder:
            command = command._replace(account=rng.choice("abcd"))
        else:
            command = command._replace(account=owners.get(command.order_id, "a"))
        for event in apply_many(state, [command])[0]:
            if type(event) is OrderAccepted:
                owners[event.order_id] = event.account
        out.append(command)
    return out


@pytest.mark.parametrize(("seed", "chunk"), [(1, 97), (2, 500), (3, 1_000)])
def test_the_pipelined_stream_equals_apply_many(seed: int, chunk: int) -> None:
    flow, model_fills, _ = generate(random.Random(seed), 3_000, 0.30)
    commands = with_accounts(to_commands(flow), random.Random(seed))
    expected, digest = loop_run(commands)
    engine = ArrayEngine(opened_state(), SYMBOL)
    view = apply_stream(engine, commands, chunk=chunk)
    assert len(model_fills) > 50
    assert view.fills().pairs() == model_fills
    assert view.to_list() == expected
    assert engine.state_hash() == digest


def test_a_mixed_stream_runs_its_odd_commands_the_python_way_on_the_worker() -> None:
    flow, _, _ = generate(random.Random(4), 1_200, 0.30)
    commands = to_commands(flow)
    late = commands[700].ts
    commands.insert(700, AdvanceTime(late))  # not plain: its chunk runs mixed
    expected, digest = loop_run(commands)
    engine = ArrayEngine(opened_state(), SYMBOL)
    assert apply_stream(engine, commands, chunk=128).to_list() == expected
    assert engine.state_hash() == digest


def test_the_worker_runs_the_chunks_and_the_inline_runner_the_caller() -> None:
    seen: list[str] = []

    def job(name: str) -> Any:
        seen.append(threading.current_thread().name)
        return name

    with ThreadPoolExecutor(1, thread_name_prefix="apply_stream") as pool:
        assert WorkerThread(pool)(job, "w")() == "w"
    assert run_here(job, "h")() == "h"
    assert seen[0].startswith("apply_stream")
    assert seen[1] == threading.current_thread().name


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(enabled: bool) -> None:
    before = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        flow, _, _ = generate(random.Random(2), 400, 0.30)
        apply_stream(ArrayEngine(opened_state(), SYMBOL), to_commands(flow), chunk=100)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if before else gc.disable()


def test_a_failing_chunk_raises_after_the_chunks_before_it_are_applied() -> None:
    flow, _, _ = generate(random.Random(6), 300, 0.30)
    commands = to_commands(flow)
    late = commands[150]
    commands[150] = late._replace(ts=late.ts - timedelta(microseconds=10))
    engine = ArrayEngine(opened_state(), SYMBOL)
    with pytest.raises(InvalidParameterError, match="ts"):
        apply_stream(engine, commands, chunk=100)
    assert engine.state_hash() == loop_run(commands[:100])[1]
