"""Quantitative toolkit: price processes, Monte Carlo, forward curve, hedging (floats live here)."""
