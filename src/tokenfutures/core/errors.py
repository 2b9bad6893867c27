"""Errors shared across packages. Business outcomes are values; these are for bad input and bugs."""

from __future__ import annotations


class TokenFuturesError(Exception):
    """Base class of every error raised by the library."""


class InvalidParameterError(TokenFuturesError, ValueError):
    """A parameter is outside its domain; the message names the parameter."""

    def __init__(self, name: str, value: object, requirement: str) -> None:
        self.name = name
        self.value = value
        self.requirement = requirement
        super().__init__(f"{name} must be {requirement} (got {value!r})")


class InvariantError(TokenFuturesError, AssertionError):
    """A broken invariant: a bug, never a business outcome. Stops the caller."""


class CheckFailedError(TokenFuturesError):
    """A check ran to its end and found a problem (the CLI exits 1, not 2: the input was fine)."""
