"""House rules that import-linter cannot express, checked on the source (AST scan).

The pure cores (index fixing, exchange, clearing, quant, contracts) take time and random
generators as parameters (ARCHITECTURE.md §2): no clock reads, no unseeded randomness.
Threads and ``gc`` are banned there by import-linter contracts (pyproject.toml).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "tokenfutures"
PURE = ("exchange", "clearing", "quant", "contracts", "index")
#: Shell corners inside pure packages: readers of files and packages, figures.
SHELL_INSIDE_PURE = ("index/sources/", "index/views.py")

#: ``module.attribute`` calls that read a clock.
CLOCKS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "time.process_time",
        "time.localtime",
        "time.gmtime",
    }
)
#: Calls that draw from a global or OS-seeded generator.
UNSEEDED = frozenset(
    {
        "random.random",
        "random.randint",
        "random.randrange",
        "random.choice",
        "random.choices",
        "random.shuffle",
        "random.sample",
        "random.uniform",
        "random.gauss",
        "random.seed",
        "random.SystemRandom",
        "numpy.random.seed",
        "numpy.random.rand",
        "numpy.random.randn",
        "numpy.random.random",
        "numpy.random.randint",
        "numpy.random.normal",
        "numpy.random.uniform",
        "numpy.random.choice",
        "numpy.random.shuffle",
        "numpy.random.RandomState",
        "os.urandom",
        "uuid.uuid1",
        "uuid.uuid4",
        "secrets.token_bytes",
        "secrets.token_hex",
    }
)
#: Generator constructors that must be given a seed (or a parent generator).
NEEDS_SEED = frozenset({"random.Random", "numpy.random.default_rng", "numpy.random.Generator"})


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name for every import in the module."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _pure_modules() -> Iterator[Path]:
    for package in PURE:
        for path in sorted((SRC / package).rglob("*.py")):
            relative = path.relative_to(SRC).as_posix()
            if not relative.startswith(SHELL_INSIDE_PURE):
                yield path


def violations(source: str) -> list[str]:
    """Clock reads and unseeded draws in ``source``, as ``line: call`` strings."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        name = _dotted(node.func) if isinstance(node, ast.Call) else None
        if name is None:
            continue
        head, _, rest = name.partition(".")
        qualified = ".".join(filter(None, (aliases.get(head, head), rest)))
        if qualified in CLOCKS:
            found.append(f"{node.lineno}: clock {name}()")
        elif qualified in UNSEEDED:
            found.append(f"{node.lineno}: unseeded {name}()")
        elif qualified in NEEDS_SEED and not (node.args or node.keywords):
            found.append(f"{node.lineno}: {name}() without a seed")
    return found


def test_the_scan_sees_what_it_bans() -> None:
    source = (
        "import datetime, time, random\nimport numpy as np\n"
        "from time import perf_counter as tick\nfrom datetime import date\n"
        "datetime.datetime.now()\ntime.monotonic()\nrandom.random()\n"
        "np.random.default_rng()\nrandom.Random()\ntick()\ndate.today()\n"
        "np.random.default_rng(7)\nrandom.Random(seed)\nclock.now()\ndate(2026, 1, 2)\n"
    )
    assert violations(source) == [
        "5: clock datetime.datetime.now()",
        "6: clock time.monotonic()",
        "7: unseeded random.random()",
        "8: np.random.default_rng() without a seed",
        "9: random.Random() without a seed",
        "10: clock tick()",
        "11: clock date.today()",
    ]


@pytest.mark.parametrize("path", list(_pure_modules()), ids=lambda p: p.relative_to(SRC).as_posix())
def test_pure_cores_read_no_clock_and_draw_no_unseeded_randomness(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []
