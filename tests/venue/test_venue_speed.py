"""The hot path's shortcuts agree with the slow, obvious code they replace (issue 6)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tokenfutures.core.clock import ManualClock
from tokenfutures.core.errors import InvariantError
from tokenfutures.exchange import (
    CancelReason,
    OrderAccepted,
    OrderCancelled,
    OrderRejected,
    OrderType,
    RejectReason,
    Side,
    Trade,
)
from tokenfutures.simulation.workload import MID, generate, to_commands
from tokenfutures.storage import open_store
from tokenfutures.storage.checks import check_batch, check_batch_fast, ts_to_micros
from tokenfutures.storage.frames import frame_of_records, records_of_frame
from tokenfutures.venue.commands import decode
from tokenfutures.venue.eventlog import chunk_payload, decode_chunk, last_command
from tokenfutures.venue.fold import evolve
from tokenfutures.venue.ports import IdempotencyKey, JournalRecord
from tokenfutures.venue.service import Venue
from tokenfutures.venue.state import Applied, VenueState
from tokenfutures.venue.statehash import state_hash

TS = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _batch(rng: random.Random, last: int, n: int) -> list[JournalRecord]:
    """A valid batch after ``last``, then one seeded corruption (or none)."""
    records = [
        JournalRecord(last + i + 1, TS, "order", "[]", IdempotencyKey(f"a{i % 3}", f"c{i}"))
        if i % 2
        else JournalRecord(last + i + 1, TS, "cancel", "[]")
        for i in range(n)
    ]
    i = rng.randrange(n)
    r = records[i]
    corruption = rng.choice(["none", "seq", "gap", "key", "kind", "account", "long", "swap"])
    if corruption == "seq":
        records[i] = JournalRecord(rng.randint(0, last + n + 2), r.ts, r.kind, r.payload, r.key)
    elif corruption == "gap":
        records = records[:i] + records[i + 1 :]
    elif corruption == "key" and n > 1:
        j = (i + 1) % n
        key = IdempotencyKey("a0", "dup")
        records[i] = JournalRecord(r.seq, r.ts, r.kind, r.payload, key)
        s = records[j]
        records[j] = JournalRecord(s.seq, s.ts, s.kind, s.payload, key)
    elif corruption == "kind":
        records[i] = JournalRecord(r.seq, r.ts, "", r.payload, r.key)
    elif corruption == "account":
        records[i] = JournalRecord(r.seq, r.ts, r.kind, r.payload, IdempotencyKey("", "x"))
    elif corruption == "long":
        records[i] = JournalRecord(r.seq, r.ts, r.kind, r.payload, IdempotencyKey("a", "x" * 129))
    elif corruption == "swap" and n > 1:
        j = (i + 1) % n
        records[i], records[j] = records[j], records[i]
    return records


def _outcome(check: object, records: list[JournalRecord], last: int) -> tuple[str, str]:
    try:
        check(records, last)  # type: ignore[operator]
    except Exception as error:  # the storage errors and InvalidParameterError alike
        return type(error).__name__, str(error)
    return "ok", ""


@pytest.mark.parametrize("seed", range(4))
def test_fast_batch_check_refuses_exactly_what_the_record_check_refuses(seed: int) -> None:
    rng = random.Random(seed)
    outcomes = set()
    for _ in range(150):
        last, n = rng.randint(0, 50), rng.randint(1, 12)
        records = _batch(rng, last, n)
        expected = _outcome(check_batch, records, last)
        assert _outcome(check_batch_fast, records, last) == expected
        outcomes.add(expected[0])
    assert "ok" in outcomes
    assert len(outcomes) >= 3


def test_journal_frames_keep_each_distinct_instant() -> None:
    later = TS + timedelta(microseconds=7)
    records = [
        JournalRecord(1, TS, "order", "[1]", IdempotencyKey("\u00e9a", "c")),
        JournalRecord(2, TS, "cancel", "[2]"),
        JournalRecord(3, later, "cancel", "[3]"),
    ]
    micros = int((TS - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 10**6
    frame = frame_of_records(records)
    assert (frame.first_seq, frame.last_seq, frame.ts_us) == (1, 3, micros)
    assert json.loads(frame.meta) == {
        "kinds": ["order", "cancel", "cancel"],
        "keys": [["\u00e9a", "c"], None, None],
        "ts": [0, 0, 7],
        "lines": True,
    }
    assert frame.payloads == "[1]\n[2]\n[3]"
    assert records_of_frame(frame) == records
    assert ts_to_micros(later) == micros + 7
    with pytest.raises(ValueError, match="ts"):
        frame_of_records([JournalRecord(1, datetime(2026, 1, 1), "order", "[]")])


def test_event_log_record_has_its_documented_shape_and_decodes_to_the_events() -> None:
    events = [
        OrderAccepted(1, TS, "SITZ26", 1, 'c"1', "m\u00e9", Side.BUY, OrderType.LIMIT, 350, 5),
        OrderAccepted(2, TS, "SITZ26", 2, "c2", "m1", Side.SELL, OrderType.MARKET, None, 5),
        Trade(9, "SITZ26", 351, 2, "m1", "m\u00e9", 12, 13, Side.SELL, 3, TS),
        Trade(10, "SITZ26", 351, 2, "m1", "m2", 12, 13, None, 4, TS),
        OrderCancelled(5, TS, "SITZ26", 12, "m1", 3, CancelReason.USER),
        OrderRejected(6, TS, "SITZ26", "m1", "c3", None, RejectReason.UNKNOWN_CONTRACT),
    ]
    stamp = "2026-11-24T10:00:00Z"
    payload = chunk_payload([(7, events[:1]), (9, events[1:])])
    assert payload is not None
    body = {
        "kinds": [
            "OrderAccepted",
            "OrderAccepted",
            "Trade",
            "Trade",
            "OrderCancelled",
            "OrderRejected",
        ],
        "commands": [
            [7, [[1, stamp, "SITZ26", 1, 'c"1', "m\u00e9", 1, 1, 350, 5]]],
            [
                9,
                [
                    [2, stamp, "SITZ26", 2, "c2", "m1", -1, 2, None, 5],
                    [9, "SITZ26", 351, 2, "m1", "m\u00e9", 12, 13, -1, 3, stamp],
                    [10, "SITZ26", 351, 2, "m1", "m2", 12, 13, None, 4, stamp],
                    [5, stamp, "SITZ26", 12, "m1", 3, int(CancelReason.USER)],
                    [6, stamp, "SITZ26", "m1", "c3", None, int(RejectReason.UNKNOWN_CONTRACT)],
                ],
            ],
        ],
    }
    assert json.loads(payload) == ["events", 3, body]  # the wire's versioned envelope
    decoded = decode_chunk(payload)
    assert decoded == [(7, events[:1]), (9, events[1:])]
    format_2 = json.dumps({"format": 2, **body})  # as the writer before the envelope wrote it
    assert decode_chunk(format_2) == decoded
    assert [type(e) for _, chunk in decoded for e in chunk] == [type(e) for e in events]
    assert decoded[1][1][0].side is Side.SELL  # enums come back as enums, not ints
    assert chunk_payload([(4, [])]) is None


def test_event_log_refuses_records_it_cannot_read() -> None:
    with pytest.raises(InvariantError, match="format 2"):
        decode_chunk("[[3, []]]")  # the first format: readable by recovery, not decodable
    with pytest.raises(InvariantError, match="fewer kinds"):
        decode_chunk('{"format": 2, "kinds": [], "commands": [[1, [[1]]]]}')
    with pytest.raises(InvariantError, match="unknown event kind"):
        decode_chunk('{"format": 2, "kinds": ["Nope"], "commands": [[1, [[1]]]]}')
    assert last_command("[[3, []], [5, []]]") == 5  # a record of the first format
    assert last_command('{"format": 2, "kinds": [], "commands": [[8, []]]}') == 8


def _workload(n: int, seed: int) -> list[Any]:
    """Issue 4's seeded stream on the front month, over funded, poor and unknown accounts."""
    accounts = ["m0", "m1", "m2", "poor", "ghost"]
    messages, _, _ = generate(random.Random(seed), n)
    commands: list[Any] = []
    for i, command in enumerate(to_commands(messages)):
        commands.append(command._replace(contract="SITZ26", account=accounts[i % len(accounts)]))
    commands[10:10] = [commands[3], commands[5]]  # retries of journalled orders
    return commands


@pytest.mark.parametrize("seed", [4, 11])
def test_batch_apply_equals_one_command_at_a_time_replay(seed: int) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    store = open_store("memory://")
    venue = Venue.open(store, clock, snapshot_every=10**9, record_events=False)
    venue.settlement.list_contracts(
        datetime(2026, 11, 24).date(), reference_price=Decimal(MID) / 100, versions={"SIT": "v1"}
    )
    for account in ("m0", "m1", "m2"):
        venue.accounts.create_account(account, deposit=Decimal(10**9))
    venue.accounts.create_account("poor", deposit=Decimal(1))
    applied = []
    commands = _workload(3_000, seed)
    for first in range(0, len(commands), 250):
        applied += venue.execute(commands[first : first + 250])
    replayed = VenueState()  # the fold, command by command, from the journal
    one_by_one = {
        r.seq: evolve(replayed, r.seq, decode(r.kind, r.ts, r.payload))
        for r in store.journal.read()
    }
    batched: dict[int, Applied] = {}
    for a in applied:
        batched.setdefault(a.seq, a)  # a retry repeats its first ack's seq, after it
    assert [(a.ack_record, a.events) for a in batched.values()] == [
        (one_by_one[seq].ack_record, one_by_one[seq].events) for seq in batched
    ]
    assert state_hash(replayed) == venue.state_hash()
    statuses = {a.ack_record[0] for a in applied if a.ack_record is not None}
    reasons = {a.ack_record[5] for a in applied if a.ack_record is not None}
    assert {"accepted", "rejected", "cancelled"} <= statuses
    assert {"INSUFFICIENT_MARGIN", "UNKNOWN_ACCOUNT"} <= reasons
    assert any(type(e) is Trade for a in applied for e in a.events)  # fills happened
