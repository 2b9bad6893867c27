"""Columnar views of the position book: the daily mark of every position in integer numpy
arrays (the fast path of ``mark_all``) and the positions matrix of the margin kernels.

Same arithmetic as ``PositionBook.mark`` — ``vm = q·M − s·L − c`` tick·lots, × the contract's
weight (micro-USD per tick·lot) — in int64 columns built from the book's dicts. It applies
only when every position's contract is being marked and no figure can leave int64; otherwise
it returns None and the book's plain loop runs (ADR 0430; the two are differential-tested).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from operator import itemgetter

import numpy as np
import numpy.typing as npt

Key = tuple[str, str]
#: Largest |sum| the int64 columns may reach (a margin of 2 below 2**63).
_LIMIT = 2**62


def mark_columns(
    position: dict[Key, int],
    settled: dict[Key, int],
    cost: dict[Key, int],
    marks: Mapping[str, tuple[int, int]],
    weights: Mapping[str, int],
) -> tuple[dict[str, int], dict[str, int]] | None:
    """``mark_all``'s result, with ``settled``/``cost`` reset, or None (nothing changed)."""
    keys = list(position)
    n = len(keys)
    contracts = sorted(marks)
    if not n or not contracts:
        return None
    col = {c: j for j, c in enumerate(contracts)}
    ci = np.fromiter(map(col.get, map(itemgetter(1), keys), repeat(-1)), np.int64, n)
    if (ci < 0).any():
        return None  # some position is not marked today: the loop leaves its basis alone
    try:
        q = np.fromiter(position.values(), np.int64, n)
        s = np.fromiter(map(settled.get, keys, repeat(0)), np.int64, n)
        c = np.fromiter(map(cost.get, keys, repeat(0)), np.int64, n)
    except OverflowError:
        return None
    new = [marks[x][0] for x in contracts]
    last = [marks[x][1] for x in contracts]
    weight = [weights[x] for x in contracts]
    bound = (
        int(np.abs(q).max()) * max(map(abs, new))
        + int(np.abs(s).max()) * max(map(abs, last))
        + int(np.abs(c).max())
    ) * max(map(abs, weight))
    if bound * len(contracts) >= _LIMIT:
        return None
    vm = q * np.array(new, np.int64)[ci] - s * np.array(last, np.int64)[ci] - c
    accounts = list(map(itemgetter(0), keys))
    names = sorted(set(accounts))
    row = {a: i for i, a in enumerate(names)}
    ai = np.fromiter(map(row.__getitem__, accounts), np.int64, n)
    sums = np.zeros(len(names), np.int64)
    np.add.at(sums, ai, vm * np.array(weight, np.int64)[ci])
    net = np.zeros(len(contracts), np.int64)
    np.add.at(net, ci, vm)
    moved = vm != 0
    by_account = {names[i]: int(sums[i]) for i in np.unique(ai[moved])}
    by_contract = {contracts[j]: int(net[j]) for j in np.unique(ci[moved])}
    settled.update(position)
    cost.update(zip(keys, repeat(0)))
    return by_account, by_contract


def positions_matrix(
    position: dict[Key, int], accounts: Sequence[str], contracts: Sequence[str]
) -> npt.NDArray[np.float64]:
    """Lots as a float matrix (``accounts`` × ``contracts``); other keys are left out."""
    out = np.zeros((len(accounts), len(contracts)))
    n = len(position)
    if not n or not len(accounts) or not len(contracts):
        return out
    row = {a: i for i, a in enumerate(accounts)}
    col = {c: j for j, c in enumerate(contracts)}
    keys = list(position)
    ai = np.fromiter(map(row.get, map(itemgetter(0), keys), repeat(-1)), np.int64, n)
    ci = np.fromiter(map(col.get, map(itemgetter(1), keys), repeat(-1)), np.int64, n)
    q = np.fromiter(position.values(), np.float64, n)
    keep = (ai >= 0) & (ci >= 0) & (q != 0)
    out[ai[keep], ci[keep]] = q[keep]
    return out
