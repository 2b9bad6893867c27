"""Close-out and the loss waterfall, layer by layer, on hand-computed numbers."""

from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pytest

from tokenfutures.clearing.defaults import closeout_price, manage_default
from tokenfutures.clearing.final import expiring, final_settlement
from tokenfutures.clearing.house import ClearingHouse
from tokenfutures.clearing.ledger import SKIN_ACCOUNT, default_fund
from tokenfutures.clearing.margin import PaperMargin
from tokenfutures.clearing.settlement import settle_day

from .helpers import Fill, funded_house, house_with

MEMBERS = ["A", "B", "C", "D"]
DEADLINE = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def _setup() -> ClearingHouse:
    house = funded_house()
    settle_day(house, {"F": 200}, PaperMargin(("F",), np.array([2.0]), np.array([0.4])), DEADLINE)
    return house


def test_closeout_price_moves_against_the_defaulter() -> None:
    assert closeout_price(200, 5, Decimal("0.1")) == 180
    assert closeout_price(200, -5, Decimal("0.1")) == 220
    assert closeout_price(199, 5, Decimal("0.1")) == 179
    assert closeout_price(199, -5, Decimal("0.1")) == 219


def test_waterfall_order_and_amounts() -> None:
    house = _setup()
    before = {m: house.equity(m) for m in MEMBERS}
    result = manage_default(house, "A", "C", {"F": 150}, Decimal(0), MEMBERS)
    # close-out: 100 lots sold at 150 against a mark of 200 → loss 50.00
    assert result.closeout_loss == Decimal("50.00")
    assert result.defaulter_margin == Decimal(10)
    assert result.defaulter_fund == Decimal(3)
    assert result.skin_in_the_game == Decimal(2)
    assert result.mutualised_fund == {"B": Decimal(4), "C": Decimal(4), "D": Decimal(2)}
    assert result.assessments == {"B": Decimal(4), "C": Decimal(4), "D": Decimal(2)}
    assert result.uncovered == Decimal(15)
    # non-defaulters' margin is never used: only the auction winner's collateral moved (its gain)
    assert house.equity("B") == before["B"]
    assert house.equity("D") == before["D"]
    assert house.equity("C") == before["C"] + Decimal(50)
    assert house.ledger.balance(SKIN_ACCOUNT) == 0
    assert all(house.ledger.balance(default_fund(m)) == 0 for m in MEMBERS)
    assert house.book.position("A", "F") == 0
    assert house.book.position("C", "F") == 100
    house.book.check_balanced()
    assert house.ledger.total() == 0


def test_small_loss_stays_within_the_defaulters_margin() -> None:
    house = _setup()
    result = manage_default(house, "A", "C", {"F": 196}, Decimal("0.01"), MEMBERS)
    # 196 × 0.99 = 194.04 → 194 ticks; loss 100 × 6 ticks = 6.00 < 10 of margin
    assert result.closeout_loss == Decimal("6.00")
    assert result.defaulter_fund == 0
    assert result.mutualised_fund == {}
    assert house.equity("A") == Decimal(4)
    assert result.uncovered == 0


def test_final_settlement_pays_cash_and_closes_positions() -> None:
    house = house_with("F")
    house.apply_fills([Fill(1, "F", 200, 3, "A", "B")])
    settle_day(house, {"F": 205}, PaperMargin(("F",), np.array([2.05]), np.array([0.4])), DEADLINE)
    assert expiring(house, date(2027, 3, 30)) == []
    with pytest.raises(ValueError, match="last trading day"):
        final_settlement(house, "F", 190, date(2027, 3, 30))
    assert expiring(house, date(2027, 3, 31)) == ["F"]
    flows = final_settlement(house, "F", 190, date(2027, 3, 31))
    assert flows == {"A": Decimal("-0.45"), "B": Decimal("0.45")}
    assert house.equity("A") == Decimal("-0.30")  # +0.15 VM then −0.45 final
    assert house.book.positions_of("A") == {}
    assert "F" in house.expired
    assert house.ledger.total() == 0
    with pytest.raises(ValueError, match="expired"):
        final_settlement(house, "F", 190, date(2027, 4, 1))
    assert expiring(house, date(2027, 4, 1)) == []


def test_mutualised_loss_splits_exactly_to_the_micro() -> None:
    house = house_with("F")
    for member in ("B", "C", "D"):
        house.contribute_default_fund(member, Decimal(1))
    house.apply_fills([Fill(1, "F", 200, 1, "A", "B")])
    settle_day(house, {"F": 200}, PaperMargin(("F",), np.array([2.0]), np.array([0.4])), DEADLINE)
    result = manage_default(
        house, "A", "C", {"F": 199}, Decimal(0), MEMBERS, assessment_multiple=Decimal("1.0000005")
    )
    # a 0.01 loss over three equal funds: 3,333.33 micro-USD each; the odd micro goes to B
    assert result.mutualised_fund == {
        "B": Decimal("0.003334"),
        "C": Decimal("0.003333"),
        "D": Decimal("0.003333"),
    }
    assert result.assessments == {}
    assert house.equity("A") == 0
    assert house.ledger.total() == 0
