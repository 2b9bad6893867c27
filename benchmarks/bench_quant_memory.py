"""Peak memory of a 1,000,000-path x 756-step Monte Carlo run (3 years, daily), in a subprocess.

Statistics stream in chunks, so memory is bounded by the terminal vector (8 MB) plus a few
chunk histograms, not by the number of path-steps. Prints peak RSS (GiB, ``getrusage``) and
its ratio to the 2 GiB budget; last line JSON.
Run: ``PYTHONPATH=src python benchmarks/bench_quant_memory.py [n_paths]``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

BUDGET_GIB = 2.0
CHILD = """
import sys
from tokenfutures.quant.montecarlo import run_monte_carlo
from tokenfutures.quant.params import PAPER_TABLE3
from tokenfutures.quant.process import uniform_grid
res = run_monte_carlo(PAPER_TABLE3, uniform_grid(3.0, 756), int(sys.argv[1]), seed=1)
print(res.n_paths, res.terminal.size, float(res.mean_path[-1]), res.rise_share, res.swing_share)
"""


def main() -> None:
    n_paths = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n_paths)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # KiB on Linux
    print(done.stdout.strip())
    print(f"{n_paths} paths x 756 steps: {seconds:.1f} s, peak RSS {peak_gib:.3f} GiB")
    figures = {
        "paths": n_paths,
        "steps": 756,
        "peak_rss_gib": peak_gib,
        "ratio_to_2gib_budget": peak_gib / BUDGET_GIB,
        "seconds": seconds,
        "path_steps_per_s": n_paths * 756 / seconds,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
