"""Journal codec: every command kind survives encode → decode unchanged."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tokenfutures.contracts import product_spec
from tokenfutures.exchange import (
    AdvanceTime,
    CancelOrder,
    CloseMarket,
    MassCancel,
    NewOrder,
    OpenMarket,
    OrderType,
    ReplaceOrder,
    Side,
    StartSession,
    StpMode,
    TimeInForce,
)
from tokenfutures.venue.commands import (
    BidAuction,
    CloseAuction,
    CreateAccount,
    Deposit,
    EndOfDay,
    FixIndex,
    ListInstrument,
    SetAuctionWindow,
    decode,
    encode,
)
from tokenfutures.venue.instruments import cleared_contract, instrument_rules

TS = datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=UTC)

COMMANDS = [
    NewOrder(TS, "SITZ26", "alice", "c-1", Side.BUY, 5, 350),
    NewOrder(
        TS,
        "SITZ26",
        'we"ird\\acct',
        "ünïcode",
        Side.SELL,
        7,
        None,
        OrderType.STOP_LIMIT,
        TimeInForce.GTD,
        datetime(2026, 11, 25, tzinfo=UTC),
        True,
        3,
        340,
        "grp",
        StpMode.CANCEL_BOTH,
    ),
    CancelOrder(TS, "SITZ26", "alice", 12),
    ReplaceOrder(TS, "SITZ26", "alice", 12, 351, 4),
    MassCancel(TS, "alice", None),
    StartSession(TS, "SITZ26", 350),
    OpenMarket(TS, "SITZ26"),
    CloseMarket(TS, "SITZ26"),
    AdvanceTime(TS),
    CreateAccount(TS, "bob", "member-1", 5_000_000),
    Deposit(TS, "bob", -1_000_000),
    ListInstrument(TS, "SITF27", 351),
    FixIndex(TS, date(2026, 11, 24), "3.5012", "fixed", {"a": 1, "notes": ["x"], "b": None}),
    EndOfDay(TS, date(2026, 11, 24)),
    SetAuctionWindow(TS, 64_800),
    BidAuction(TS, 1, "bob", -1_250_000_000),
    CloseAuction(TS, 1),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: type(c).__name__)
def test_round_trip(command: object) -> None:
    kind, payload = encode(command)  # type: ignore[arg-type]
    assert decode(kind, TS, payload) == command


def test_payloads_of_the_earlier_hand_built_encoder_still_decode() -> None:
    gtd, stp = int(TimeInForce.GTD), int(StpMode.CANCEL_BOTH)
    written = (  # ASCII escapes and a "+00:00" expiry, as journals written before ADR 0612 hold
        '["SITZ26","we\\"ird\\\\acct","\\u00fcn\\u00efcode",-1,7,null,3,'
        f'{gtd},"2026-11-25T00:00:00+00:00",true,3,340,"grp",{stp}]'
    )
    assert decode("order", TS, written) == COMMANDS[1]


def test_records_written_before_a_field_was_added_decode_with_its_default() -> None:
    listed = decode("list", TS, '["SITF27",351]')  # before spec versions (ADR 0306)
    assert listed == ListInstrument(TS, "SITF27", 351, "v1")


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        decode("nope", TS, "[]")


def test_instruments_follow_the_spec() -> None:
    spec = product_spec("SIT")
    rules = instrument_rules(spec, "SITZ26", 350)
    assert rules.expiry == datetime(2026, 12, 16, 21, 0, tzinfo=UTC)  # third Wednesday, close
    assert (rules.limit_halt_fraction, rules.limit_session_fraction) == (
        spec.price_limit_fractions()[0],
        spec.price_limit_fractions()[-1],
    )
    assert rules.settlement_window_minutes == 2
    cleared = cleared_contract(spec, "SITZ26")
    assert cleared.last_trading_day == date(2026, 12, 16)
    assert cleared.lot_value(350) == spec.notional(350, 1)
    with pytest.raises(ValueError, match="symbol"):
        instrument_rules(product_spec("SCU"), "SITZ26", 350)


def test_event_log_round_trips_every_event_kind() -> None:
    from tokenfutures.exchange import (
        ContractListed,
        OrderRejected,
        OrderReplaced,
        Phase,
        PhaseChanged,
        RejectReason,
        StopTriggered,
    )
    from tokenfutures.venue.eventlog import EVENT_TYPES, chunk_payload, decode_chunk

    rejected = OrderRejected(1, TS, None, None, None, None, RejectReason.UNKNOWN_CONTRACT)
    others = [
        OrderReplaced(2, TS, "SITZ26", 7, "a", 351, 4, True),
        StopTriggered(3, TS, "SITZ26", 8, 352),
        PhaseChanged(4, TS, "SITZ26", Phase.HALTED, "limit", TS),
        ContractListed(5, TS, "SITZ26"),
    ]
    text = chunk_payload([(3, [rejected]), (4, others)])
    assert text is not None
    assert decode_chunk(text) == [(3, [rejected]), (4, others)]
    assert {type(e).__name__ for e in [rejected, *others]} <= set(EVENT_TYPES)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: type(c).__name__)
def test_a_payload_is_its_kinds_typed_struct(command: object) -> None:
    import msgspec

    from tokenfutures.venue.commands import JOURNAL_KINDS
    from tokenfutures.wire import parse_key

    kind, payload = encode(command)  # type: ignore[arg-type]
    cls, struct = JOURNAL_KINDS[parse_key(kind)[0]]
    assert type(command) is cls
    typed = struct(*command[1:])  # type: ignore[index]
    assert msgspec.json.encode(typed).decode() == payload


def test_a_payload_its_struct_refuses_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="order payload"):
        decode("order", TS, '["SITZ26","alice","c-1","buy",5,350]')  # side by name, too short
    with pytest.raises(ValueError, match="deposit payload"):
        decode("deposit", TS, '["bob",1.5]')  # money is integer micro-USD


def test_event_log_records_of_the_first_format_still_decode() -> None:
    from tokenfutures.venue.eventlog import FormatOneEvent, decode_record, last_command

    written = (  # as the hand-built encoder before ADR 0612 wrote them (type name, no seq/ts)
        '[[7,[["OrderAccepted",3,"SITZ26","alice","c-1",1,350,5]]],'
        '[9,[["Trade",1,"SITZ26",350,2,"alice","bob",3,4,-1],'
        '["OrderCancelled",4,"SITZ26","bob",0,"FILLED"],'
        '["ContractListed","SITZ26"]]]]'
    )
    decoded = decode_record(written)
    assert [seq for seq, _ in decoded] == [7, 9]
    accepted = decoded[0][1][0]
    assert accepted == FormatOneEvent(
        "OrderAccepted",
        {
            "order_id": 3,
            "contract": "SITZ26",
            "account": "alice",
            "client_order_id": "c-1",
            "side": 1,
            "price_ticks": 350,
            "quantity": 5,
        },
    )
    trade, cancelled, listed = decoded[1][1]
    assert (trade.fields["buyer"], trade.fields["aggressor_side"]) == ("alice", -1)
    assert cancelled.fields["reason"] == "FILLED"
    assert listed == FormatOneEvent("ContractListed", {"contract": "SITZ26"})
    assert last_command(written) == 9


def test_a_version_1_fix_lifts_its_audit_text_to_the_object_it_held() -> None:
    """``fix_index`` v1 journalled the audit as JSON text inside the payload (ADR 0636)."""
    audit = {"publication": {"revision": 1, "reason": 'a "quoted" reason'}, "w": [0.25, 1e-9]}
    text = json.dumps(json.dumps(audit, sort_keys=True))
    v1 = f'["2026-11-24","3.5012","fixed",{text}]'
    command = decode("fix_index", TS, v1)
    assert command == FixIndex(TS, date(2026, 11, 24), "3.5012", "fixed", audit)
    assert decode("fix_index", TS, '["2026-11-24",null,"withheld",""]').audit == {}
    kind, payload = encode(command)
    assert kind == "fix_index.v2"
    assert json.loads(payload)[3] == audit  # an object now, not a string
    with pytest.raises(ValueError, match=r"fix_index\.v2 payload"):
        decode("fix_index.v2", TS, v1)  # version 2 refuses the text
