"""Daily settlement, fees, margin calls and the pre-trade check, on hand-computed numbers."""

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.ledger import FEES_ACCOUNT
from tokenfutures.clearing.margin import PaperMargin, SpanMargin
from tokenfutures.clearing.pretrade import MarginRejectReason, check_order
from tokenfutures.clearing.settlement import settle_day, unmet_calls

from .helpers import Fill, house_with

DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def eq7(price: float) -> PaperMargin:
    return PaperMargin(("F",), np.array([price]), np.array([0.40]))


def test_variation_margin_fees_and_a_margin_call() -> None:
    house = house_with("F")
    house.deposit("A", Decimal(100))
    house.deposit("B", Decimal(2))
    house.apply_fills([Fill(1, "F", 200, 10, "A", "B")])
    report = settle_day(house, {"F": 210}, eq7(2.10), DEADLINE, fee_per_lot=Decimal("0.01"))
    assert report.variation_margin == {"A": Decimal("1.00"), "B": Decimal("-1.00")}
    assert house.equity("A") == Decimal("100.90")  # +1.00 VM − 0.10 fee
    assert house.equity("B") == Decimal("0.90")
    assert house.ledger.balance(FEES_ACCOUNT) == Decimal("0.20")
    # IM for 10 lots: 10 × 3 × 0.4 × √(2/252) × 2.10 = 2.2449 → 2.25; maintenance 1.6837 → 1.69
    assert report.requirements["B"].initial == Decimal("2.25")
    assert report.requirements["B"].maintenance == Decimal("1.69")
    assert [c.account for c in report.calls] == ["B"]
    assert report.calls[0].amount == Decimal("1.35")
    assert unmet_calls(house, DEADLINE.replace(hour=8)) == []
    assert unmet_calls(house, DEADLINE) == ["B"]
    house.deposit("B", Decimal("1.35"))
    assert unmet_calls(house, DEADLINE) == []
    assert house.calls == {}
    assert house.ledger.total() == 0


def test_pretrade_rejects_orders_beyond_collateral() -> None:
    method = eq7(2.0)  # 0.2138 USD per lot
    over = check_order(method, {}, "F", 10, Decimal("2.00"))
    assert not over.accepted
    assert over.reason is MarginRejectReason.INSUFFICIENT_MARGIN
    assert over.reason.value == "INSUFFICIENT_MARGIN"
    assert over.requirement_after == Decimal("2.14")
    within = check_order(method, {}, "F", -9, Decimal("2.00"))
    assert within.accepted
    assert within.reason is None


def test_pretrade_always_lets_risk_reducing_orders_through() -> None:
    decision = check_order(eq7(2.0), {"F": 20}, "F", -5, Decimal(0))
    assert decision.accepted
    assert decision.requirement_after < decision.requirement_before


def test_pretrade_names_unknown_contract() -> None:
    with pytest.raises(ValueError, match="contract"):
        check_order(eq7(2.0), {}, "G", 1, Decimal(1))


def test_margin_method_must_cover_every_open_contract() -> None:
    house = house_with("F", "G")
    house.apply_fills([Fill(1, "G", 200, 1, "A", "B")])
    with pytest.raises(ValueError, match="covering open contracts"):
        settle_day(house, {"G": 200}, eq7(2.0), DEADLINE)


def test_pretrade_sees_span_spread_netting() -> None:
    span = SpanMargin(("F", "G"), np.array([0.20, 0.18]), spread_charge=0.02)
    # short 10 front: 10 × 1.05 × 0.20 = 2.10; buying 10 back months leaves a spread
    hedge = check_order(span, {"F": -10}, "G", 10, Decimal("0.50"))
    assert hedge.requirement_before == Decimal("2.10")
    # spread scan: 10 × 0.02 × 1.05 = 0.21 at the extreme move, plus 10 × 0.02 charge
    assert hedge.requirement_after == Decimal("0.41")
    assert hedge.accepted
