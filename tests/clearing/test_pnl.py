"""Trade-price P&L: hand-computed cases and conservation against variation margin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from tokenfutures.clearing.defaults import close_out
from tokenfutures.clearing.final import final_settlement
from tokenfutures.clearing.ledger import collateral
from tokenfutures.clearing.pnl import PnlBook, TradePnl, step
from tokenfutures.clearing.positions import Trade
from tokenfutures.clearing.settlement import post_daily_variation_margin

from .helpers import house_with


def test_the_dashboard_case_buy_then_mark_lower() -> None:
    # bought 10 at 350 and 10 at 350, 1 at 360 -> average 350.476...; marked at 345
    row = TradePnl(0, Fraction(0), Fraction(0))
    for qty, price in ((10, 350), (10, 350), (1, 360)):
        row = step(row, qty, price)
    assert row.quantity == 21
    assert row.average_price == Fraction(7360, 21)
    assert row.unrealised(345) == 21 * 345 - 7360  # -115 ticks·lots


def test_reduce_realises_and_flip_reopens_at_the_fill_price() -> None:
    row = step(TradePnl(0, Fraction(0), Fraction(0)), 4, 100)  # long 4 at 100
    row = step(row, -1, 110)  # sell 1 at 110: +10
    assert (row.quantity, row.realised, row.average_price) == (3, 10, 100)
    row = step(row, -5, 90)  # sell 5 at 90: close 3 (-30), short 2 at 90
    assert (row.quantity, row.realised, row.average_price) == (-2, -20, 90)
    row = step(row, 2, 80)  # buy back 2 at 80: +20
    assert (row.quantity, row.realised, row.average_price) == (0, 0, None)


@given(
    st.lists(
        st.tuples(
            st.sampled_from("abc"), st.sampled_from("abc"), st.integers(1, 9), st.integers(90, 110)
        ),
        max_size=30,
    ),
    st.integers(80, 120),
)
def test_realised_plus_unrealised_is_the_mark_to_market_of_every_fill(
    fills: list[tuple[str, str, int, int]], mark: int
) -> None:
    book = PnlBook()
    trades = [Trade(i, "X", p, q, b, s) for i, (b, s, q, p) in enumerate(fills) if b != s]
    book.apply_fills(trades)
    for account in "abc":
        row = book.get(account, "X")
        expected = sum(
            (mark - t.price_ticks) * t.quantity * (1 if t.buyer == account else -1)
            for t in trades
            if account in (t.buyer, t.seller)
        )
        assert row.realised + row.unrealised(mark) == expected
    total = sum(book.get(a, "X").realised + book.get(a, "X").unrealised(mark) for a in "abc")
    assert total == 0  # futures are a zero-sum game


@given(
    fills=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(80, 120), st.integers(1, 9)),
        min_size=1,
        max_size=30,
    ),
    settle=st.integers(80, 120),
    closeout=st.integers(80, 120),
    final=st.integers(80, 120),
)
def test_realised_pnl_after_close_out_and_expiry_is_the_cash_each_account_got(
    fills: list[tuple[int, int, int, int]], settle: int, closeout: int, final: int
) -> None:
    # ADR 0433: close-outs and final settlement go through the trade-price P&L too, so once
    # every position is closed each account's realised P&L equals its VM, close-out and
    # final-settlement cash, to the micro-USD
    accounts = ["a", "b", "c", "d"]
    house, pnl = house_with("F"), PnlBook()
    trades = [
        Trade(i, "F", price, qty, accounts[b], accounts[s])
        for i, (b, s, price, qty) in enumerate(fills)
        if b != s
    ]
    house.apply_fills(trades)
    pnl.apply_fills(trades)
    post_daily_variation_margin(house, {"F": settle})
    if house.book.position("a", "F"):
        close_out(house, "a", "b", {"F": closeout}, Decimal(0))
    final_settlement(house, "F", final, date(2027, 3, 31))
    pnl.follow(house.book.take_moves())
    assert house.book.take_moves() == []
    cash_memos = ("VM", "close-out", "final settlement")
    for account in accounts:
        cash = sum(
            (
                p.amount
                for e in house.ledger.journal
                if e.memo.startswith(cash_memos)
                for p in e.postings
                if p.account == collateral(account)
            ),
            Decimal(0),
        )
        row = pnl.get(account, "F")
        assert row.quantity == 0
        assert row.realised * Fraction("0.01") == cash, account


def test_a_shrinking_position_keeps_its_average_to_a_millionth_of_a_tick() -> None:
    # ADR 0372: long 3 at 100, 100, 101 (average 100.333...), sell 1 at 102
    row = TradePnl(0, Fraction(0), Fraction(0))
    for qty, price in ((1, 100), (1, 100), (1, 101), (-1, 102)):
        row = step(row, qty, price)
    assert row.average_price == Fraction(100_333_333, 10**6)  # rounded half-even
    # realised is the cash rest: 102 - (301 - 2 * 100.333333) = 1.666666
    assert row.realised == Fraction(1_666_666, 10**6)
    assert row.realised + row.unrealised(105) == 3 * 105 - 301 + 102 - 105  # exact total


@given(st.lists(st.tuples(st.integers(-50, 50).filter(bool), st.integers(1, 20_000)), max_size=200))
def test_amounts_stay_millionths_and_total_pnl_stays_exact(fills: list[tuple[int, int]]) -> None:
    row = TradePnl(0, Fraction(0), Fraction(0))
    net_cost = 0
    for qty, price in fills:
        row = step(row, qty, price)
        net_cost += qty * price
        for amount in (row.open_cost, row.realised):
            assert 10**6 % Fraction(amount).denominator == 0  # bounded, fill after fill
    mark = 12_345
    assert row.realised + row.unrealised(mark) == row.quantity * mark - net_cost


def test_a_row_from_before_millionths_is_rounded_at_its_next_fill() -> None:
    # an exact average of 100 1/3 ticks over 3 lots (open cost 301), written as a Fraction
    legacy = TradePnl(3, Fraction(301), Fraction(1, 3))
    row = step(legacy, -1, 103)  # sell 1 at 103
    assert row.average_price == Fraction(100_333_333, 10**6)
    # realised: 1/3 (rounded half-even to 333,333 millionths) + 103 - (301 - 200.666666)
    assert row.realised == Fraction(333_333 + 103_000_000 - 301_000_000 + 200_666_666, 10**6)


_FILLS = st.lists(
    st.tuples(st.sampled_from("ab"), st.integers(1, 30), st.integers(1, 40)), max_size=60
)


def _trade(buyer: str, quantity: int, price: int) -> Trade:
    return Trade(1, "F", price, quantity, buyer, "c" if buyer == "a" else "a")


@given(_FILLS)
def test_the_book_in_millionths_gives_the_steps_values_and_types(
    fills: list[tuple[str, int, int]],
) -> None:
    # small prices and sizes: many rows stay whole, many averages are not (ADR 0374)
    book, rows = PnlBook(), {a: TradePnl(0, 0, 0) for a in "abc"}
    for buyer, quantity, price in fills:
        trade = _trade(buyer, quantity, price)
        book.apply_fills([trade])
        rows[trade.buyer] = step(rows[trade.buyer], quantity, price)
        rows[trade.seller] = step(rows[trade.seller], -quantity, price)
    for account, expected in rows.items():
        got = book.get(account, "F")
        assert got == expected
        assert type(got.open_cost) is type(expected.open_cost)
        assert type(got.realised) is type(expected.realised)


def test_a_fraction_row_from_an_older_snapshot_keeps_folding_exactly() -> None:
    book = PnlBook()
    finer = TradePnl(3, Fraction(1000, 3), Fraction(1, 7))  # not whole millionths
    book._rows[("a", "F")] = finer
    book.apply_fills([_trade("a", 2, 300)])  # grows: the finer realised amount is kept
    grown = step(finer, 2, 300)
    assert book.get("a", "F") == grown
    assert book.get("a", "F").realised == Fraction(1, 7)
    book.apply_fills([_trade("c", 5, 320)])  # a sells 5: flat, in millionths from then on
    assert book.get("a", "F") == step(grown, -5, 320)
    book.apply_fills([_trade("a", 1, 330)])
    assert book.get("a", "F") == step(step(grown, -5, 320), 1, 330)
    assert book.realised_of("a") == ["F"]
