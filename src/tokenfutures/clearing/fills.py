"""What clearing needs from the exchange's trade event, as a structural ``Protocol``.

Clearing does not import the exchange yet: any object with these six attributes is a fill.
"""

from __future__ import annotations

from typing import Protocol


class Fill(Protocol):
    """One trade between two accounts: ``quantity`` lots of ``contract`` at ``price_ticks``."""

    @property
    def trade_id(self) -> int: ...

    @property
    def contract(self) -> str: ...

    @property
    def price_ticks(self) -> int: ...

    @property
    def quantity(self) -> int: ...

    @property
    def buyer(self) -> str: ...

    @property
    def seller(self) -> str: ...
