"""Quantitative toolkit: price processes, Monte Carlo, forward curve, hedging (floats live here).

Modules: ``params`` (JumpDiffusionParams, presets), ``process`` (exact numpy simulator, the
oracle), ``models`` (GBM alternative), ``moments`` (closed-form moments, E[P_T], forward curve
F(t,T) with A(t,T)), ``montecarlo`` (seeded, chunked, streamed Monte Carlo on numba
``kernels``), ``streaming`` (bounded-memory quantiles). See ``docs/concepts/quant.md``.
"""
