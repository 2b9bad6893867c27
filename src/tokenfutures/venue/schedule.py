"""The trading day as data: pure functions that say which steps run when, and a runner.

For each business day ``D`` of the products' calendar (contracts' spec):

1. at the session open (the evening before ``D`` for SIT) — list the contracts that trade on
   ``D`` (new listings get their first prior settlement), start their sessions with the
   prior settlement and open the market;
2. at the settlement time (the session close) — ingest the TPI fix of ``D`` when a fix
   provider is given, then close the markets, fix daily settlement prices, post variation
   margin and margin calls, expire the contracts whose last trading day is ``D`` and settle
   them finally from the TPI fixes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from tokenfutures.contracts import is_business_day, product_spec
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.publication import PublishedFix

OPEN_DAY = "open_day"
FIX_INDEX = "fix_index"
END_OF_DAY = "end_of_day"
_ORDER = {OPEN_DAY: 0, FIX_INDEX: 1, END_OF_DAY: 2}

#: Supplies the published TPI fix of a day (the index service's), or a level entered by hand
#: (None when there is none to ingest).
FixProvider = Callable[[date], PublishedFix | Decimal | None]


class DayRunner(Protocol):
    """What runs the day's listing and end-of-day steps (the venue's settlement service)."""

    def list_contracts(
        self,
        day: date,
        *,
        products: Sequence[str] = ...,
        reference_price: Decimal | None = ...,
        versions: Mapping[str, str] | None = ...,
    ) -> Any:
        """List, start and open the contracts trading on ``day``."""
        ...

    def ended(self, day: date) -> bool:
        """Whether ``day``'s end of day has run (a step due again is then skipped)."""
        ...

    def end_of_day(self, day: date) -> Any:
        """Close, settle, post variation margin and calls, expire and finally settle."""
        ...


class Fixer(Protocol):
    """What ingests a day's TPI fix (the venue's index service)."""

    def fix_index(
        self, day: date, level: Decimal | None, *, status: str = ..., audit: Any = ...
    ) -> Any:
        """Journal a level entered by hand for ``day``."""
        ...

    def publish_fixes(self, fixes: Sequence[PublishedFix]) -> int:
        """Journal the index service's fixes the venue lacks (or revisions of changed ones)."""
        ...


@dataclass(frozen=True, slots=True)
class Step:
    """One scheduled step: what runs (``action``) for trading day ``day`` at instant ``at``."""

    at: datetime
    action: str
    day: date

    def __str__(self) -> str:
        return f"{self.at.isoformat()} {self.action} {self.day.isoformat()}"


def day_steps(day: date, product: str = "SIT", with_fix: bool = False) -> list[Step]:
    """The steps of trading day ``day`` (none on a non-business day), in time order."""
    spec = product_spec(product)
    if not is_business_day(spec, day):
        return []
    opens, closes = spec.session.bounds(day)
    settle = spec.session.settlement_instant(day)
    steps = [Step(opens, OPEN_DAY, day)]
    if with_fix:
        steps.append(Step(min(settle, closes), FIX_INDEX, day))
    steps.append(Step(settle, END_OF_DAY, day))
    return steps


def due_steps(
    after: datetime | None, until: datetime, product: str = "SIT", with_fix: bool = False
) -> list[Step]:
    """Steps with ``after < at <= until``; with no ``after``, from the latest session open on."""
    if until.tzinfo is None:
        raise InvalidParameterError("until", until, "timezone-aware")
    first = (after or until).date() - timedelta(days=1)
    steps: list[Step] = []
    day = first
    while day <= until.date() + timedelta(days=1):
        steps.extend(day_steps(day, product, with_fix))
        day += timedelta(days=1)
    if after is None:
        opens = [s.at for s in steps if s.action == OPEN_DAY and s.at <= until]
        after = max(opens) - timedelta(microseconds=1) if opens else until
    chosen = [s for s in steps if after < s.at <= until]
    return sorted(chosen, key=lambda s: (s.at, _ORDER[s.action]))


def run_due(
    runner: DayRunner,
    index: Fixer,
    after: datetime | None,
    until: datetime,
    products: Sequence[str] = ("SIT",),
    fixer: FixProvider | None = None,
    versions: Mapping[str, str] | None = None,
) -> tuple[list[str], datetime | None]:
    """Run the steps due in ``(after, until]``; return their names and the new mark."""
    done: list[str] = []
    mark = after
    for step in due_steps(after, until, products[0], fixer is not None):
        if step.action == OPEN_DAY:
            runner.list_contracts(step.day, products=products, versions=versions)
        elif step.action == FIX_INDEX and fixer is not None:
            fix = fixer(step.day)
            if isinstance(fix, PublishedFix):
                index.publish_fixes([fix])  # journals nothing when the venue has this value
            elif fix is not None:
                index.fix_index(step.day, fix, audit={"source": "schedule"})
        elif step.action == END_OF_DAY and not runner.ended(step.day):
            runner.end_of_day(step.day)
        done.append(str(step))
        mark = step.at
    return done, mark if mark is not None else after
