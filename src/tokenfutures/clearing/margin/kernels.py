"""Numeric kernels for scenario margin: fused scenario P&L and tail selection (numba).

``tail_losses`` computes every account's loss in every scenario (one row of a matmul) and
keeps only the ``k`` largest, so the accounts × scenarios matrix is never materialised.
"""

from __future__ import annotations

import numba
import numpy as np

from tokenfutures.clearing.margin.base import FloatArray


@numba.njit(parallel=True, cache=True)
def _tail_losses(
    positions: FloatArray, moves: FloatArray, k: int
) -> FloatArray:  # pragma: no cover - compiled
    n, c = positions.shape
    s = moves.shape[1]
    out = np.empty((n, k))
    for i in numba.prange(n):
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
