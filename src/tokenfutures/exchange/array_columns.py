"""Columnar views of ``apply_arrays``' events: numpy columns per event kind (ADR 0364).

``EventArrays.fills()`` gives every trade of a batch as ``FillColumns`` (trade ids, prices in
ticks, quantities, order ids, aggressor side, account codes, ``seq`` and time), built from the
kernel's event rows with a few numpy operations and no Python object per event;
``EventArrays.orders()`` does the same for acceptances, rejections and cancellations. Events a
command produced the Python way are folded in from their named tuples. ``to_frame()`` gives a
``pandas.DataFrame`` at the user-facing edge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from tokenfutures.core import accel
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_events import MAX_CLIENT_CODE, IntArray, micros
from tokenfutures.exchange.events import OrderAccepted, OrderCancelled, OrderRejected, Trade

if TYPE_CHECKING:
    import pandas as pd

    from tokenfutures.exchange.array_events import KernelRows

_US = np.timedelta64(1, "us")


@dataclass(frozen=True, slots=True)
class FillColumns:
    """Every trade of a batch, one row per trade in event order (all columns int64).

    ``aggressor_side`` is +1 (buy) or -1 (sell), 0 for an auction print; ``buyer`` and
    ``seller`` are account codes into ``accounts``; ``ts`` is microseconds since the epoch.
    """

    trade_id: IntArray
    seq: IntArray
    ts: IntArray
    price_ticks: IntArray
    quantity: IntArray
    aggressor_side: IntArray
    aggressor_order_id: IntArray
    resting_order_id: IntArray
    buy_order_id: IntArray
    sell_order_id: IntArray
    buyer: IntArray
    seller: IntArray
    accounts: Sequence[str]

    def __len__(self) -> int:
        """Number of trades."""
        return int(self.trade_id.shape[0])

    def pairs(self) -> list[tuple[int, int, int, int]]:
        """``(aggressor order id, resting order id, price, quantity)`` per trade (Python ints)."""
        return list(
            zip(
                self.aggressor_order_id.tolist(),
                self.resting_order_id.tolist(),
                self.price_ticks.tolist(),
                self.quantity.tolist(),
                strict=True,
            )
        )

    def to_frame(self) -> pd.DataFrame:
        """The fills as a ``pandas.DataFrame`` (UTC times, account names as categoricals)."""
        return _frame(self, ("buyer", "seller"))


@dataclass(frozen=True, slots=True)
class OrderEventColumns:
    """Acceptances, rejections and cancellations of a batch, one row per event, in order.

    ``kind``: ``array_kernel.EV_ACCEPTED``, ``EV_REJECTED`` or ``EV_CANCELLED``; ``order_id``
    is 0 on a rejected new order; ``side`` (±1) and ``price_ticks`` are set on acceptances; ``client_order_id`` is -1 where the event has none or it is
    not a decimal code; ``reason`` is the ``RejectReason`` / ``CancelReason`` value (0 on an
    acceptance); ``quantity`` is the accepted or the cancelled remaining quantity.
    """

    kind: IntArray
    seq: IntArray
    ts: IntArray
    order_id: IntArray
    account: IntArray
    client_order_id: IntArray
    side: IntArray
    price_ticks: IntArray
    quantity: IntArray
    reason: IntArray
    accounts: Sequence[str]

    def __len__(self) -> int:
        """Number of events."""
        return int(self.kind.shape[0])

    def to_frame(self) -> pd.DataFrame:
        """The events as a ``pandas.DataFrame`` (UTC times, account names as categoricals)."""
        return _frame(self, ("account",))


#: ``FillColumns``' int64 columns in field order (the rows of ``trade_table``).
_FILL_NAMES = tuple(f.name for f in fields(FillColumns) if f.name != "accounts")


def _frame(columns: Any, coded: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    names = pd.CategoricalDtype(list(columns.accounts))
    data: dict[str, Any] = {}
    for f in fields(columns):
        if f.name == "accounts":
            continue
        values = getattr(columns, f.name)
        if f.name == "ts":
            data[f.name] = pd.to_datetime(values, unit="us", utc=True)
        elif f.name in coded:
            data[f.name] = pd.Categorical.from_codes(values, dtype=names)
        else:
            data[f.name] = values
    return pd.DataFrame(data)


def kernel_fills(part: KernelRows) -> FillColumns:
    """The trades among one kernel run's rows (one compiled pass, ``trade_table``)."""
    batch = part.batch
    table = trade_table(part.rows, batch.side, batch.account, batch.ts, part.seq0)
    columns = dict(zip(_FILL_NAMES, table, strict=True))
    return FillColumns(**columns, accounts=part.accounts)


@accel.jit(nogil=False)  # short: keeping the GIL spares the worker a wait for it
def trade_table_compiled(
    rows: IntArray, side: IntArray, account: IntArray, ts: IntArray, seq0: int
) -> IntArray:
    """The trade rows as a (12, trades) table, one row per ``FillColumns`` column."""
    count = 0
    for j in range(rows.shape[0]):
        if rows[j, k.E_KIND] == k.EV_TRADE:
            count += 1
    out = np.empty((12, count), np.int64)
    t = 0
    for j in range(rows.shape[0]):
        if rows[j, k.E_KIND] != k.EV_TRADE:
            continue
        cmd = rows[j, k.E_CMD]
        aggressor, resting = rows[j, k.E_OID], rows[j, k.E_OTHER]
        mine, other = account[cmd], rows[j, k.E_OTHER_ACCT]
        buy = side[cmd] > 0
        out[0, t] = rows[j, k.E_CODE]
        out[1, t] = seq0 + 1 + j
        out[2, t] = ts[cmd]
        out[3, t] = rows[j, k.E_PRICE]
        out[4, t] = rows[j, k.E_QTY]
        out[5, t] = side[cmd]
        out[6, t] = aggressor
        out[7, t] = resting
        out[8, t] = aggressor if buy else resting
        out[9, t] = resting if buy else aggressor
        out[10, t] = mine if buy else other
        out[11, t] = other if buy else mine
        t += 1
    return out


def trade_table_numpy(
    rows: IntArray, side: IntArray, account: IntArray, ts: IntArray, seq0: int
) -> IntArray:
    """The numpy twin of ``trade_table_compiled``."""
    at = np.flatnonzero(rows[:, k.E_KIND] == k.EV_TRADE)
    trades = rows[at]
    cmd = trades[:, k.E_CMD]
    aggressor, resting = trades[:, k.E_OID], trades[:, k.E_OTHER]
    mine, other = account[cmd], trades[:, k.E_OTHER_ACCT]
    buy = side[cmd] > 0
    columns = (
        trades[:, k.E_CODE], seq0 + 1 + at, ts[cmd], trades[:, k.E_PRICE], trades[:, k.E_QTY],
        side[cmd], aggressor, resting, np.where(buy, aggressor, resting),
        np.where(buy, resting, aggressor), np.where(buy, mine, other), np.where(buy, other, mine),
    )  # fmt: skip
    return np.array(columns, np.int64).reshape(12, at.shape[0])


#: The trade rows as a (12, trades) table (compiled, or its numpy twin).
trade_table = accel.pick(trade_table_compiled, trade_table_numpy)


def python_fills(
    events: Sequence[Any], code: Callable[[str], int], accounts: Sequence[str]
) -> FillColumns:
    """The ``Trade`` tuples among events the Python engine produced."""
    trades = [e for e in events if type(e) is Trade]
    side = _col(0 if t.aggressor_side is None else int(t.aggressor_side) for t in trades)
    buy_id = _col(t.buy_order_id for t in trades)
    sell_id = _col(t.sell_order_id for t in trades)
    buy = side > 0
    return FillColumns(
        trade_id=_col(t.trade_id for t in trades),
        seq=_col(t.seq for t in trades),
        ts=_col(micros(t.ts) for t in trades),
        price_ticks=_col(t.price_ticks for t in trades),
        quantity=_col(t.quantity for t in trades),
        aggressor_side=side,
        aggressor_order_id=np.where(buy, buy_id, sell_id),
        resting_order_id=np.where(buy, sell_id, buy_id),
        buy_order_id=buy_id,
        sell_order_id=sell_id,
        buyer=_col(code(t.buyer) for t in trades),
        seller=_col(code(t.seller) for t in trades),
        accounts=accounts,
    )


def kernel_orders(part: KernelRows) -> OrderEventColumns:
    """The acceptances, rejections and cancellations among one kernel run's rows."""
    rows = part.rows
    kinds = rows[:, k.E_KIND]
    at = np.flatnonzero(kinds != k.EV_TRADE)
    own = rows[at]
    cmd = own[:, k.E_CMD]
    kind = own[:, k.E_KIND]
    batch = part.batch
    new_order = batch.kind[cmd] == k.CMD_NEW
    accepted = kind == k.EV_ACCEPTED
    return OrderEventColumns(
        kind=kind.copy(),
        seq=part.seq0 + 1 + at,
        ts=batch.ts[cmd],
        order_id=own[:, k.E_OID].copy(),
        account=batch.account[cmd],
        client_order_id=np.where(
            new_order & (kind != k.EV_CANCELLED), batch.client_order_id[cmd], -1
        ),
        side=np.where(accepted, batch.side[cmd], 0),
        price_ticks=np.where(accepted, own[:, k.E_PRICE], 0),
        quantity=own[:, k.E_QTY].copy(),
        reason=own[:, k.E_CODE].copy(),
        accounts=part.accounts,
    )


def python_orders(
    events: Sequence[Any], code: Callable[[str], int], accounts: Sequence[str]
) -> OrderEventColumns:
    """The order events among events the Python engine produced (other kinds are left out)."""
    rows: list[tuple[int, ...]] = []
    for e in events:
        kind = type(e)
        if kind is OrderAccepted:
            rows.append((k.EV_ACCEPTED, e.seq, micros(e.ts), e.order_id, code(e.account),
                         _decimal(e.client_order_id), int(e.side), e.price_ticks or 0,
                         e.quantity, 0))  # fmt: skip
        elif kind is OrderRejected:
            rows.append((k.EV_REJECTED, e.seq, micros(e.ts), e.order_id or 0,
                         -1 if e.account is None else code(e.account),
                         _decimal(e.client_order_id), 0, 0, 0, int(e.reason)))  # fmt: skip
        elif kind is OrderCancelled:
            rows.append((k.EV_CANCELLED, e.seq, micros(e.ts), e.order_id, code(e.account), -1,
                         0, 0, e.remaining_quantity, int(e.reason)))  # fmt: skip
    table = np.array(rows, np.int64).reshape(len(rows), 10)
    names = [f.name for f in fields(OrderEventColumns) if f.name != "accounts"]
    return OrderEventColumns(
        **{name: table[:, c].copy() for c, name in enumerate(names)}, accounts=accounts
    )


def concat_fills(parts: list[FillColumns], accounts: Sequence[str]) -> FillColumns:
    """One ``FillColumns`` of several, in order."""
    return FillColumns(**_concat(parts, FillColumns), accounts=accounts)


def concat_orders(parts: list[OrderEventColumns], accounts: Sequence[str]) -> OrderEventColumns:
    """One ``OrderEventColumns`` of several, in order."""
    return OrderEventColumns(**_concat(parts, OrderEventColumns), accounts=accounts)


def _concat(parts: Sequence[Any], cls: Any) -> dict[str, IntArray]:
    names = [f.name for f in fields(cls) if f.name != "accounts"]
    if not parts:
        return {name: np.zeros(0, np.int64) for name in names}
    if len(parts) == 1:
        return {name: getattr(parts[0], name) for name in names}
    return {name: np.concatenate([getattr(p, name) for p in parts]) for name in names}


def _col(values: Any) -> IntArray:
    return np.fromiter(values, np.int64)


def _decimal(text: str | None) -> int:
    """The code of a canonical decimal client id below ``MAX_CLIENT_CODE``, else -1."""
    if text is None or not (text.isascii() and text.isdigit()) or str(int(text)) != text:
        return -1
    value = int(text)
    return value if value < MAX_CLIENT_CODE else -1
