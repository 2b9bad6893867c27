"""Properties every margin method must have: zero for a flat book, scaling with size, sign sense."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tokenfutures.clearing.margin import HistoricalVarMargin, PaperMargin, SpanMargin

CONTRACTS = ("F", "G", "H")
PRICES = np.array([2.0, 1.9, 1.8])
RNG = np.random.default_rng(17)
METHODS = (
    PaperMargin(CONTRACTS, PRICES, np.array([0.5, 0.4, 0.3])),
    SpanMargin(CONTRACTS, np.array([0.2, 0.18, 0.15]), 0.05),
    HistoricalVarMargin(
        CONTRACTS, PRICES, RNG.normal(0, 0.05, (3, 200)), RNG.normal(0, 0.12, (3, 50))
    ),
)

books = arrays(np.float64, (4, 3), elements=st.integers(-40, 40).map(float))


@settings(max_examples=40, deadline=None)
@given(positions=books, scale=st.integers(2, 9))
def test_requirements_are_positively_homogeneous(positions: np.ndarray, scale: int) -> None:
    for method in METHODS:
        base = method.requirements(positions)
        scaled = method.requirements(positions * scale)
        np.testing.assert_allclose(scaled.initial, scale * base.initial, rtol=1e-9, atol=1e-12)
        assert np.all(base.initial >= 0)
        np.testing.assert_allclose(base.maintenance, 0.75 * base.initial)


def test_flat_book_needs_no_margin_and_outrights_do() -> None:
    flat = np.zeros((1, 3))
    outright = np.array([[5.0, 0.0, 0.0]])
    for method in METHODS:
        assert method.requirements(flat).initial[0] == 0.0
        assert method.requirements(outright).initial[0] > 0.0
