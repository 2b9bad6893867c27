"""Figure: whole-process ``tokenfutures reproduce --paths 10000`` within 20 s (and with ``--csv``).

Times the command as a subprocess (interpreter start, imports, numba cache load, the study,
figures and files): once with an empty numba cache (a fresh clone: the kernels compile), then
the median of warm runs. The baseline, measured in the same process, is the start of
``python -c "import numpy"``. The machine is shared, so the ratios are the figure, not the
seconds. The JSON object is on the last line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 20.0
REPEATS = 3
ROOT = Path(__file__).resolve().parents[1]
#: The real price history: ``--csv`` adds the real-data hedging backtest (ADR 0131).
PRICES = ROOT.parent / "shared" / "data" / "llm_price_history.csv"


def _env(numba_cache: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if numba_cache is not None:
        env["NUMBA_CACHE_DIR"] = numba_cache
    src = str(ROOT / "src")
    env["PYTHONPATH"] = src + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else src
    return env


def _timed(args: list[str], numba_cache: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=_env(numba_cache), stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    paths = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        cmd = [sys.executable, "-m", "tokenfutures", "reproduce", "--paths", str(paths)]
        cmd += ["--seed", "1", "--out", tmp, "--no-progress"]
        first = _timed(cmd, numba_cache=cache)
        _timed(cmd)  # warm the default numba cache
        runs = [_timed(cmd) for _ in range(REPEATS)]
        csv_runs = [_timed([*cmd, "--csv", str(PRICES)]) for _ in range(REPEATS)]
    baseline = statistics.median(
        _timed([sys.executable, "-c", "import numpy"]) for _ in range(REPEATS)
    )
    median = statistics.median(runs)
    csv_median = statistics.median(csv_runs)
    figure = {
        "paths": paths,
        "reproduce_cold_numba_cache_s": round(first, 3),
        "reproduce_median_s": round(median, 3),
        "budget_s": BUDGET_S,
        "ratio_to_budget": round(median / BUDGET_S, 4),
        "numpy_process_start_s": round(baseline, 4),
        "ratio_to_numpy_process_start": round(median / baseline, 2),
        "within_budget": median <= BUDGET_S,
        "reproduce_with_csv_median_s": round(csv_median, 3),
        "csv_ratio_to_without": round(csv_median / median, 3),
    }
    print(
        f"reproduce --paths {paths}: median {median:.2f} s over {REPEATS} runs "
        f"(empty numba cache {first:.2f} s); budget {BUDGET_S:g} s; numpy start {baseline:.3f} s"
    )
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
