"""Numeric kernels for scenario margin: fused scenario P&L and tail selection.

``tail_losses`` computes every account's loss in every scenario (one row of a matmul) and
keeps only the ``k`` largest. The numba kernel never materialises the accounts × scenarios
matrix; its numpy twin (no numba, ADR 0371) does it in blocks of rows of bounded size.
"""

from __future__ import annotations

import numpy as np

from tokenfutures.clearing.margin.base import FloatArray
from tokenfutures.core import accel
from tokenfutures.core.accel import prange

#: Cells (accounts × scenarios) of one block of the numpy twin's loss matrix (~32 MB).
BLOCK_CELLS = 1 << 22


@accel.jit(parallel=True, nogil=False)
def tail_losses_compiled(
    positions: FloatArray, moves: FloatArray, k: int
) -> FloatArray:  # pragma: no cover - compiled
    n, c = positions.shape
    s = moves.shape[1]
    out = np.empty((n, k))
    for i in prange(n):
        top = np.full(k, -np.inf)
        for j in range(s):
            loss = 0.0
            for m in range(c):
                loss -= positions[i, m] * moves[m, j]
            if loss > top[k - 1]:
                q = k - 1
                while q > 0 and top[q - 1] < loss:
                    top[q] = top[q - 1]
                    q -= 1
                top[q] = loss
        out[i] = top
    return out


def tail_losses_numpy(positions: FloatArray, moves: FloatArray, k: int) -> FloatArray:
    """The numpy twin of the compiled kernel: losses by blocks of accounts, top ``k`` sorted."""
    n, s = positions.shape[0], moves.shape[1]
    out = np.empty((n, k))
    rows = max(1, BLOCK_CELLS // max(s, 1))
    for at in range(0, n, rows):
        losses = -(positions[at : at + rows] @ moves)
        top = np.partition(losses, s - k, axis=1)[:, s - k :] if k < s else losses
        out[at : at + rows] = -np.sort(-top, axis=1)
    return out


#: The twin this process runs (compiled where numba is installed and not switched off).
_tail_losses = accel.pick(tail_losses_compiled, tail_losses_numpy)


def tail_losses(positions: FloatArray, moves: FloatArray, k: int) -> FloatArray:
    """The ``k`` largest scenario losses of each account, largest first (accounts × k).

    Parameters
    ----------
    positions : array (accounts × contracts)
        Lots per account and contract.
    moves : array (contracts × scenarios)
        USD P&L of one long lot per contract in each scenario.
    k : int
        Tail size, 1 <= k <= scenarios.
    """
    result: FloatArray = _tail_losses(
        np.ascontiguousarray(positions, dtype=np.float64),
        np.ascontiguousarray(moves, dtype=np.float64),
        int(k),
    )
    return result
