"""Exact numbers, clocks and errors shared by every package (stdlib only)."""
