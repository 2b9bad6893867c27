"""The hedging study settles on the listed contract's own window (ADR 0130)."""

from __future__ import annotations

from datetime import date

import pytest

from tokenfutures.contracts import paper_spec, parse_symbol, product_spec, settlement_window
from tokenfutures.reports.study import StudySettings
from tokenfutures.reports.windows import contract_settlement_fixes, study_program, window_share


def test_january_2027_window_by_hand() -> None:
    # Jan 2027: the 1st (a Friday) is a holiday, the third Wednesday is the 20th
    window = settlement_window(product_spec("SIT"), parse_symbol("SITF27"))
    assert (window[0], window[-1], len(window)) == (date(2027, 1, 4), date(2027, 1, 20), 13)


def test_the_study_uses_the_contracts_window_not_the_whole_month() -> None:
    share = window_share(product_spec("SIT"))
    assert 0.55 < share < 0.65  # 1st to third Wednesday: a bit over half the month
    assert window_share(paper_spec()) == share  # v1 and v2 share the calendar
    assert contract_settlement_fixes(21) == round(21 * share) == 13
    assert StudySettings(n_paths=10, seed=1).program.settlement_fixes == 13
    assert study_program(days_per_month=5).settlement_fixes == 3


@pytest.mark.parametrize("days", [1, 2, 40])
def test_the_window_stays_inside_the_month(days: int) -> None:
    assert 1 <= contract_settlement_fixes(days) <= days
