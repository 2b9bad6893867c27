"""Command batches as arrays and the lazy event view of ``apply_arrays`` (ADR 0362).

``CommandArrays`` is the array form of plain limit/IOC orders and cancels of one contract;
``EventArrays`` holds the kernel's event rows (and, where a command went the Python way, the
engine's own events) and builds the engine's named tuples only when they are read.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tokenfutures.core import accel
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.events import OrderAccepted, OrderCancelled, OrderRejected, Trade
from tokenfutures.exchange.types import CancelReason, OrderType, RejectReason, Side, TimeInForce

if TYPE_CHECKING:
    from tokenfutures.exchange.array_columns import FillColumns, OrderEventColumns

IntArray = NDArray[np.int64]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_TIFS = (int(TimeInForce.DAY), int(TimeInForce.GTC), int(TimeInForce.IOC))
_new = tuple.__new__
_LIMIT = OrderType.LIMIT
_BUY = Side.BUY
_SELL = Side.SELL
_SIDES = {1: _BUY, -1: _SELL}
_CANCEL = {int(reason): reason for reason in CancelReason}
MAX_ACCOUNTS = 1 << 21
MAX_CLIENT_CODE = 1 << 40


def micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch of an aware ``moment`` (the batch's time unit)."""
    if moment.tzinfo is None:
        raise InvalidParameterError("ts", moment, "timezone-aware")
    return (moment - EPOCH) // _US


def moment(us: int) -> datetime:
    """The UTC datetime of ``us`` microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=us)


#: What ``CommandArrays.check`` demands, in the order it reports (bit i of ``flaws``).
_FLAWS = (
    ("kind", "0 (new order) or 1 (cancel)"),
    ("side", "+1 or -1 on new orders"),
    ("tif", "DAY, GTC or IOC on new orders"),
    ("account", "codes in [0, {n})"),
    ("client_order_id", f"in [0, {MAX_CLIENT_CODE})"),
    ("ts", "non-decreasing"),
)


@k.jit
def flaws_compiled(kind: IntArray, side: IntArray, tif: IntArray, account: IntArray, coid: IntArray,
          ts: IntArray, n_accounts: int, max_code: int) -> int:  # fmt: skip
    """Bit i set when some row breaks rule i of ``_FLAWS`` (one compiled pass, no copies)."""
    bad = 0
    for i in range(kind.shape[0]):
        new = kind[i] == k.CMD_NEW
        if not new and kind[i] != k.CMD_CANCEL:
            bad |= 1
        if new and side[i] != 1 and side[i] != -1:
            bad |= 2
        if new and tif[i] != _TIFS[0] and tif[i] != _TIFS[1] and tif[i] != _TIFS[2]:
            bad |= 4
        if account[i] < 0 or account[i] >= n_accounts:
            bad |= 8
        if new and (coid[i] < 0 or coid[i] >= max_code):
            bad |= 16
        if i and ts[i] < ts[i - 1]:
            bad |= 32
    return bad


def flaws_numpy(kind: IntArray, side: IntArray, tif: IntArray, account: IntArray, coid: IntArray,
                ts: IntArray, n_accounts: int, max_code: int) -> int:  # fmt: skip
    """The numpy twin of ``flaws_compiled`` (one vectorised test per rule)."""
    new = kind == k.CMD_NEW
    broken = (
        ~new & (kind != k.CMD_CANCEL),
        new & (side != 1) & (side != -1),
        new & ~np.isin(tif, _TIFS),
        (account < 0) | (account >= n_accounts),
        new & ((coid < 0) | (coid >= max_code)),
        ts[1:] < ts[:-1],
    )
    return sum(1 << i for i, rows in enumerate(broken) if rows.any())


#: Bit i set when some row breaks rule i of ``_FLAWS`` (compiled, or its numpy twin).
flaws = accel.pick(flaws_compiled, flaws_numpy)


@dataclass(frozen=True, slots=True)
class CommandArrays:
    """One contract's commands as equal-length int64 columns (row = command, in order).

    ``kind``: 0 new order, 1 cancel; ``ts``: microseconds since the epoch (UTC);
    ``account``: code into the engine's account table; ``client_order_id``: the client id as
    an integer (its text form is the decimal); ``side`` ±1; ``tif``: ``TimeInForce`` value
    (DAY, GTC or IOC); ``order_id``: the order a cancel names (unused for new orders).
    """

    ts: IntArray
    kind: IntArray
    order_id: IntArray
    account: IntArray
    client_order_id: IntArray
    side: IntArray
    price: IntArray
    quantity: IntArray
    tif: IntArray

    def __len__(self) -> int:
        """Number of commands."""
        return int(self.kind.shape[0])

    def check(self, n_accounts: int) -> None:
        """Raise ``InvalidParameterError`` unless every row lies in the supported subset."""
        n = len(self)
        for name in self.__slots__:
            column = getattr(self, name)
            if column.shape != (n,) or column.dtype != np.int64:
                raise InvalidParameterError(name, column.dtype, f"an int64 column of length {n}")
        bad = flaws(self.kind, self.side, self.tif, self.account, self.client_order_id, self.ts,
                    n_accounts, MAX_CLIENT_CODE)  # fmt: skip
        for bit, (name, expected) in enumerate(_FLAWS):
            if bad & (1 << bit):
                raise InvalidParameterError(name, "…", expected.format(n=n_accounts))

    def command(self, i: int, symbol: str, accounts: Sequence[str]) -> Any:
        """Row ``i`` as the engine's ``NewOrder`` / ``CancelOrder`` tuple."""
        ts = moment(int(self.ts[i]))
        account = accounts[int(self.account[i])]
        if self.kind[i] == k.CMD_CANCEL:
            return CancelOrder(ts, symbol, account, int(self.order_id[i]))
        return NewOrder(
            ts,
            symbol,
            account,
            str(int(self.client_order_id[i])),
            Side(int(self.side[i])),
            int(self.quantity[i]),
            int(self.price[i]),
            tif=TimeInForce(int(self.tif[i])),
        )


class KernelRows:
    """Kernel event rows of one run with what is needed to name them."""

    __slots__ = ("_cols", "_fills", "_list", "accounts", "batch", "rows", "seq0", "symbol")

    def __init__(
        self, batch: CommandArrays, rows: IntArray, seq0: int, symbol: str, accounts: list[str]
    ) -> None:
        self.batch = batch
        self.rows = rows
        self.seq0 = seq0
        self.symbol = symbol
        self.accounts = accounts
        self._list: list[tuple[int, ...]] | None = None
        self._cols: tuple[list[int], ...] = ()
        self._fills: FillColumns | None = None

    def fills(self) -> FillColumns:
        """The run's trades as columns (built once; ``apply_stream``'s worker builds them early)."""
        if self._fills is None:
            from tokenfutures.exchange.array_columns import kernel_fills

            self._fills = kernel_fills(self)
        return self._fills

    def _python_rows(self) -> list[tuple[int, ...]]:
        """The rows and the batch columns as Python ints (built once, on first read)."""
        if self._list is None:
            b = self.batch
            self._cols = (
                b.ts.tolist(), b.account.tolist(), b.client_order_id.tolist(),
                b.side.tolist(), b.kind.tolist(),
            )  # fmt: skip
            self._list = list(
                zip(*(self.rows[:, c].tolist() for c in range(k.EVENT_COLUMNS)), strict=True)
            )
        return self._list

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def event(self, j: int) -> Any:
        """Row ``j`` as the engine's named event tuple."""
        return self._event(j, self._python_rows()[j], moment(self._cols[0][self._list[j][1]]))  # type: ignore[index]

    def events(self) -> Iterator[Any]:
        """Every row as a named event tuple, in order (one datetime per command)."""
        last_cmd = -1
        ts = EPOCH
        tss = self._cols[0] if self._list is not None else self.batch.ts.tolist()
        for j, row in enumerate(self._python_rows()):
            if row[1] != last_cmd:
                last_cmd = row[1]
                ts = moment(tss[last_cmd])
            yield self._event(j, row, ts)

    def _event(self, j: int, row: tuple[int, ...], ts: datetime) -> Any:
        kind, cmd, oid, price, qty, other, other_acct, code = row
        _, accts, coids, sides, kinds = self._cols
        seq = self.seq0 + j + 1
        account = self.accounts[accts[cmd]]
        sym = self.symbol
        if kind == k.EV_TRADE:
            resting = self.accounts[other_acct]
            if sides[cmd] > 0:
                return _new(
                    Trade, (code, sym, price, qty, account, resting, oid, other, _BUY, seq, ts)
                )
            return _new(
                Trade, (code, sym, price, qty, resting, account, other, oid, _SELL, seq, ts)
            )
        if kind == k.EV_ACCEPTED:
            side = _SIDES[sides[cmd]]
            return _new(
                OrderAccepted,
                (seq, ts, sym, oid, str(coids[cmd]), account, side, _LIMIT, price, qty),
            )
        if kind == k.EV_CANCELLED:
            return _new(OrderCancelled, (seq, ts, sym, oid, account, qty, _CANCEL[code]))
        if kinds[cmd] == k.CMD_CANCEL:
            return OrderRejected(seq, ts, sym, account, None, oid, RejectReason(code))
        return OrderRejected(seq, ts, sym, account, str(coids[cmd]), None, RejectReason(code))


class EventArrays(Sequence[Any]):
    """The events of one ``apply_arrays`` call, in order; named tuples are built when read.

    ``fills()`` and ``orders()`` give numpy columns per event kind without building tuples
    (ADR 0364); ``rows()`` gives the raw kernel rows (columns ``array_kernel.E_*``).
    ``code``/``accounts`` are the engine's account table, for events made the Python way.
    """

    def __init__(
        self,
        parts: list[KernelRows | list[Any]],
        accounts: list[str] | None = None,
        code: Callable[[str], int] | None = None,
    ) -> None:
        self._accounts = accounts if accounts is not None else []
        self._code = code if code is not None else self._local_code
        self._parts = [part for part in parts if len(part)]
        self._starts: list[int] = []
        total = 0
        for part in self._parts:
            self._starts.append(total)
            total += len(part)
        self._len = total

    def __len__(self) -> int:
        """Number of events."""
        return self._len

    @property
    def parts(self) -> list[KernelRows | list[Any]]:
        """The kernel runs and the Python engine's event lists, in order."""
        return list(self._parts)

    def __getitem__(self, index: Any) -> Any:
        """Event ``index`` (a named tuple); slices give lists."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        at = bisect_right(self._starts, index) - 1
        part = self._parts[at]
        j = index - self._starts[at]
        return part.event(j) if isinstance(part, KernelRows) else part[j]

    def __iter__(self) -> Iterator[Any]:
        """The events in order."""
        for part in self._parts:
            if isinstance(part, KernelRows):
                yield from part.events()
            else:
                yield from part

    def _local_code(self, account: str) -> int:
        """Register ``account`` in this view's own table (views made without an engine)."""
        if account not in self._accounts:
            self._accounts.append(account)
        return self._accounts.index(account)

    def fills(self) -> FillColumns:
        """Every trade as numpy columns (``array_columns.FillColumns``), in event order."""
        from tokenfutures.exchange import array_columns as c

        parts = self._per_part(KernelRows.fills, c.python_fills)
        return c.concat_fills(parts, self._accounts)

    def orders(self) -> OrderEventColumns:
        """Acceptances, rejections and cancellations as numpy columns, in event order."""
        from tokenfutures.exchange import array_columns as c

        parts = self._per_part(c.kernel_orders, c.python_orders)
        return c.concat_orders(parts, self._accounts)

    def _per_part(
        self, kernel: Callable[[KernelRows], Any], python: Callable[..., Any]
    ) -> list[Any]:
        """``kernel(rows)`` of each kernel run, ``python(events, code, accounts)`` of the rest."""
        return [
            kernel(part)
            if isinstance(part, KernelRows)
            else python(part, self._code, self._accounts)
            for part in self._parts
        ]

    def to_list(self) -> list[Any]:
        """Every event as a named tuple (pause the collector around it for speed: caller's policy)."""
        return list(self)

    def rows(self) -> list[IntArray]:
        """The kernel's event rows of each array part (no named tuples built)."""
        return [part.rows for part in self._parts if isinstance(part, KernelRows)]

    def trade_count(self) -> int:
        """Number of ``Trade`` events, counted on the rows where possible."""
        count = 0
        for part in self._parts:
            if isinstance(part, KernelRows):
                count += int(np.count_nonzero(part.rows[:, k.E_KIND] == k.EV_TRADE))
            else:
                count += sum(isinstance(e, Trade) for e in part)
        return count
