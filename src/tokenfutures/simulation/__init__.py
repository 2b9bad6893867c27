"""Simulated order flow and market runs that drive the real engine and venue in-process.

``workload`` is issue 4's seeded order-flow generator (with its independent FIFO model of the
fills); ``stream`` runs long streams through the compiled engine path, pipelined on a worker
thread (runtime policy the exchange itself never applies).
"""
