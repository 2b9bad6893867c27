"""``ArrayEngine.apply_arrays(batch) -> EventArrays``: the compiled engine path (ADR 0362).

The engine owns an ``ExchangeState``. While batches of one contract's plain flow arrive as
arrays, that contract's book, the client-id registry and the counters live in the compiled
kernel's arrays (``array_kernel``); the Python state is brought up to date only when it is
asked for (``state``, ``state_hash``, or ``apply`` of any other command), and the arrays are
rebuilt from the Python state on the next batch. A batch, or its tail, goes the Python way
(``exchange.apply_many``, the engine's one loop, events kept as they are) when the contract
is not trading continuously, has pending stops, has a timer due or holds iceberg orders; a
single command does when its price is outside the kernel's price window or its trades could
meet the static price limits. The kernel's checks are ``validation``'s, compiled (ADR 0369).
Same commands, same events, same state hash as ``apply_many`` (differential tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol

from tokenfutures.core import accel
from tokenfutures.core.errors import InvalidParameterError, InvariantError
from tokenfutures.exchange import array_kernel as k
from tokenfutures.exchange.array_encode import encode_commands, encode_exact
from tokenfutures.exchange.array_events import (
    MAX_ACCOUNTS,
    CommandArrays,
    EventArrays,
    KernelRows,
    micros,
    moment,
)
from tokenfutures.exchange.array_state import ArrayBook, lazy_zeros, load_book, store_book
from tokenfutures.exchange.commands import CancelOrder, NewOrder
from tokenfutures.exchange.engine import apply_many
from tokenfutures.exchange.replay import state_hash
from tokenfutures.exchange.state import ContractState, ExchangeState
from tokenfutures.exchange.types import Phase

#: Commands per chunk of a pipelined ``apply_stream`` (encode one while the kernel runs one).
STREAM_CHUNK = 65_536
#: The first chunk of a pipelined stream (the worker waits for it; later chunks double).
FIRST_CHUNK = 8_192

Outcome = Callable[[], EventArrays]


class Submit(Protocol):
    """Runs ``job(*args)`` now or elsewhere; returns a call that gives (or raises) its outcome.

    ``apply_stream`` hands each chunk's application to one: the default runs it at once on the
    calling thread; a runtime may run it on a worker thread (``simulation.stream``) while the
    caller encodes the next chunk. Jobs are submitted one at a time, each outcome read before
    the next submit, so the order of application never depends on the runner.
    """

    def __call__(self, job: Callable[..., EventArrays], *args: Any) -> Outcome: ...


def run_here(job: Callable[..., EventArrays], *args: Any) -> Outcome:
    """The default ``Submit``: apply the chunk now, on the calling thread."""
    result = job(*args)
    return lambda: result


class ArrayEngine:
    """The engine of ``state`` with a compiled path for one contract's plain order flow.

    Parameters
    ----------
    state : ExchangeState
        The engine state; the array engine owns it from now on (read it through ``state``).
    symbol : str
        The contract whose batches arrive as arrays.
    """

    def __init__(self, state: ExchangeState, symbol: str) -> None:
        self._state = state
        self.symbol = symbol
        self.accounts: list[str] = []
        self._codes: dict[str, int] = {}
        self._book: ArrayBook | None = None

    def code(self, account: str) -> int:
        """The integer code of ``account`` in the batches (registered on first use)."""
        code = self._codes.get(account)
        if code is None:
            code = len(self.accounts)
            if code >= MAX_ACCOUNTS:
                raise InvalidParameterError("account", account, f"one of ≤ {MAX_ACCOUNTS}")
            self._codes[account] = code
            self.accounts.append(account)
        return code

    def encode(self, commands: Iterable[Any]) -> CommandArrays:
        """The array form of plain ``NewOrder`` (limit; GTC, Day or IOC) and ``CancelOrder``."""
        listed = commands if isinstance(commands, list | tuple) else list(commands)
        return encode_commands(listed, self.symbol, self.code, self._codes)

    def apply_stream(
        self, commands: Sequence[Any], chunk: int = STREAM_CHUNK, submit: Submit = run_here
    ) -> EventArrays:
        """Apply a stream of the engine's commands in order; return every event as one view.

        Plain orders and cancels of this contract go through ``encode`` and ``apply_arrays``
        (``.fills()`` then gives every trade); a chunk that is not plain runs its plain runs as
        arrays and every other command through ``exchange.apply_many``. Streams longer than
        ``chunk`` go in chunks (ADR 0366): chunk k+1 is encoded and checked on this thread
        after chunk k went to ``submit``, which may run it on a worker (the compiled kernel
        releases the GIL). Same events as ``apply_many`` whatever the runner.
        """
        if chunk <= 0:
            raise InvalidParameterError("chunk", chunk, "positive")
        listed = commands if isinstance(commands, list | tuple) else list(commands)
        if len(listed) <= chunk:
            return self._apply_piece(*self._encoded(listed))
        return self._chunked(listed, chunk, submit)

    def _chunked(self, listed: Sequence[Any], chunk: int, submit: Submit) -> EventArrays:
        """Encode and check chunk k+1 here while ``submit`` applies chunk k (strictly in order).

        The stream's accounts are registered first, so a worker never registers one while
        this thread encodes. The job runs only what must follow chunk k: the time check, the
        kernel, its bookkeeping and fill columns; every numpy pass over the columns (the batch
        check) runs here (ADR 0367). The first chunks are smaller so a worker starts early
        (``_chunk_bounds``).
        """
        for command in listed:
            if type(command) in (NewOrder, CancelOrder):
                self.code(command.account)
        parts: list[KernelRows | list[Any]] = []
        pending: Outcome | None = None
        for at, end in _chunk_bounds(len(listed), chunk):
            job = self._encoded(listed[at:end])
            failed = self._checked(job[0])
            if pending is not None:
                parts.extend(pending().parts)
            if failed is not None:
                raise failed
            pending = submit(self._apply_piece, *job, len(listed) - at)
        if pending is not None:
            parts.extend(pending().parts)
        return EventArrays(parts, self.accounts, self.code)

    def _checked(self, batch: CommandArrays | None) -> InvalidParameterError | None:
        """``batch.check``'s error, if any (raised once the chunks before it are applied)."""
        if batch is None:
            return None
        try:
            batch.check(len(self.accounts))
        except InvalidParameterError as exc:
            return exc
        return None

    def _encoded(self, piece: Sequence[Any]) -> tuple[CommandArrays | None, Sequence[Any]]:
        """The piece's arrays, or None when it is not plain (it then runs mixed)."""
        try:
            return self.encode(piece), piece
        except InvalidParameterError:
            return None, piece

    def _apply_piece(
        self, batch: CommandArrays | None, piece: Sequence[Any], room: int | None = None
    ) -> EventArrays:
        """The piece as arrays (``room``: a checked chunk with that many commands left) or mixed."""
        if batch is None:
            return self._apply_mixed(piece)
        if room is None:
            return self.apply_arrays(batch)
        view = self._apply_checked(batch, room)
        for part in view.parts:  # fill columns while the rows are in this core's cache
            if isinstance(part, KernelRows):
                part.fills()
        return view

    def _apply_mixed(self, commands: Sequence[Any]) -> EventArrays:
        """Runs of encodable commands as arrays, the others one by one the Python way."""
        parts: list[KernelRows | list[Any]] = []
        run: list[Any] = []
        for command in commands:
            if self._encodable(command):
                run.append(command)
                continue
            if run:
                parts.extend(self.apply_arrays(self.encode(run)).parts)
                run = []
            parts.append(self.apply(command))
        if run:
            parts.extend(self.apply_arrays(self.encode(run)).parts)
        return EventArrays(parts, self.accounts, self.code)

    def _encodable(self, command: Any) -> bool:
        """Whether ``command`` alone encodes (a plain order or cancel of this contract)."""
        if type(command) not in (NewOrder, CancelOrder) or command.contract != self.symbol:
            return False
        try:
            encode_exact([command], self.symbol, self.code, self._codes)
        except (InvalidParameterError, TypeError):
            return False
        return True

    @property
    def state(self) -> ExchangeState:
        """The Python engine state, brought up to date (the arrays are rebuilt next batch)."""
        self._sync()
        return self._state

    def state_hash(self) -> str:
        """``replay.state_hash`` of the up-to-date state."""
        return state_hash(self.state)

    def apply(self, command: Any) -> list[Any]:
        """Apply any command the Python way (``exchange.apply_many``); return its events."""
        self._sync()
        return apply_many(self._state, (command,))[0]

    def apply_arrays(self, batch: CommandArrays) -> EventArrays:
        """Apply the batch in order; return its events (named tuples built only when read).

        Rows outside the supported subset or times going backwards inside the batch raise
        ``InvalidParameterError``, a batch starting before the last command's time raises
        ``InvariantError``; in both cases nothing is applied.
        """
        batch.check(len(self.accounts))
        return self._apply_checked(batch)

    def _apply_checked(self, batch: CommandArrays, room: int = 0) -> EventArrays:
        """``apply_arrays`` of a batch that passed ``check`` (no numpy pass over the columns).

        ``room``: commands still to come in this stream (this batch included); the order pool
        and the client-id table are sized for them at once rather than doubled chunk by chunk.
        """
        n = len(batch)
        if n == 0:
            return EventArrays([], self.accounts, self.code)
        last = self._state.last_ts
        if self._book is not None and self._book.last_ts is not None:
            last = self._book.last_ts
        if last is not None and int(batch.ts[0]) < micros(last):
            raise InvariantError(f"batch time {moment(int(batch.ts[0]))} is before {last}")
        parts: list[KernelRows | list[Any]] = []
        i = 0
        while i < n:
            if not self._array_ready(int(batch.ts[n - 1])):
                parts.append(self._python(batch, i, n))
                break
            i = self._run(batch, i, parts, room)
        return EventArrays(parts, self.accounts, self.code)

    def _run(
        self, batch: CommandArrays, start: int, parts: list[KernelRows | list[Any]], room: int = 0
    ) -> int:
        """One kernel run from ``start``; a command it stops before goes the Python way."""
        book = self._book
        if book is None:
            book = self._book = load_book(self._state, self._state.contracts[self.symbol], self)
        book.reserve(max(len(batch) - start, room))
        events = lazy_zeros((book.event_room(len(batch) - start), k.EVENT_COLUMNS))
        book.sc[k.S_NEVENTS] = 0
        stop, why = k.run_commands(
            batch.kind, batch.order_id, batch.account, batch.client_order_id, batch.side,
            batch.price, batch.quantity, batch.tif, start,
            book.pool, book.head, book.tail, book.table, book.sc, book.pr, events,
        )  # fmt: skip
        rows = events[: int(book.sc[k.S_NEVENTS])]
        parts.append(KernelRows(batch, rows, book.seq, self.symbol, self.accounts))
        book.record(batch, rows, start, stop)
        if why in (k.STOP_WINDOW, k.STOP_LIMITS):
            parts.append(self._python(batch, stop, stop + 1))
            return stop + 1
        return stop

    def _python(self, batch: CommandArrays, start: int, end: int) -> list[Any]:
        """Rows ``start..end`` through the Python engine, events as ``apply`` gives them."""
        self._sync()
        commands = [batch.command(i, self.symbol, self.accounts) for i in range(start, end)]
        return [event for events in apply_many(self._state, commands) for event in events]

    def _array_ready(self, last_us: int) -> bool:
        """Whether the contract's state lets the kernel run a batch ending at ``last_us``.

        Never without numba: the kernel's fallback is the Python engine (ADR 0371).
        """
        if not accel.COMPILED:
            return False
        if self._book is not None:
            timers = self._state.timers
            return not (timers and micros(timers[0][0]) <= last_us)
        cs = self._state.contracts.get(self.symbol)
        timers = self._state.timers
        if cs is None or cs.phase is not Phase.CONTINUOUS or cs.stops:
            return False
        if timers and micros(timers[0][0]) <= last_us:
            return False
        return _band_supported(cs) and all(
            o.display == 0
            for side in (1, -1)
            for o in cs.book.in_priority(side)  # type: ignore[arg-type]
        )

    def _sync(self) -> None:
        """Write the array book back into the Python state and drop the arrays."""
        book = self._book
        if book is None:
            return
        store_book(self._state, self._state.contracts[self.symbol], book, self.accounts)
        self._book = None


def _chunk_bounds(n: int, chunk: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of a stream's chunks: ``FIRST_CHUNK`` doubling up to ``chunk``, then ``chunk``."""
    size = min(FIRST_CHUNK, chunk)
    at = 0
    while at < n:
        end = min(n, at + size)
        yield at, end
        at = end
        size = min(2 * size, chunk)


def _band_supported(cs: ContractState) -> bool:
    """The kernel computes tick bands and fractions with small numerators and denominators."""
    band = cs.band
    if band is None or band.fraction is None:
        return True
    num, den = band.fraction.as_integer_ratio()
    return num < (1 << 20) and den < (1 << 31)
