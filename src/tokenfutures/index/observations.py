"""Price observations and the problems found while reading them.

Every source reader turns its rows into :class:`PriceObservation` values (Decimal USD per
million tokens, an effective date) and reports each row it leaves out as a
:class:`SourceProblem` with its line and reason: nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tokenfutures.core.errors import InvalidParameterError


@dataclass(frozen=True, slots=True)
class PriceObservation:
    """One posted list price of a (provider, model) route, in force from ``effective``.

    Prices are USD per million tokens; ``cached_input`` is ``None`` when the source gives none.
    """

    effective: date
    provider: str
    model: str
    input: Decimal
    output: Decimal
    cached_input: Decimal | None
    source: str
    source_ref: str = ""

    @property
    def series(self) -> tuple[str, str, str]:
        """The (source, provider, model) series this observation belongs to."""
        return (self.source, self.provider, self.model)


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A row (or header) that was left out, with where it was and why."""

    line: int
    reason: str
    raw: str = ""


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What a reader produced: the good observations and every problem it found."""

    source: str
    observations: tuple[PriceObservation, ...]
    problems: tuple[SourceProblem, ...]

    @property
    def rows_read(self) -> int:
        """Observations kept plus distinct rows reported (header problems, line 0, excluded)."""
        return len(self.observations) + len({p.line for p in self.problems if p.line > 0})

    def summary(self) -> str:
        """One line for humans: how many kept and how many left out."""
        return (
            f"{self.source}: {len(self.observations)} observations kept, "
            f"{len(self.problems)} problems reported"
        )


def require_observations(report: SourceReport) -> SourceReport:
    """Return ``report`` if it holds at least one observation; a clear error otherwise."""
    if not report.observations:
        if report.problems:
            first = report.problems[0]
            detail = f" (all {len(report.problems)} rows bad; line {first.line}: {first.reason})"
        else:
            detail = " (the input is empty)"
        raise InvalidParameterError(
            "observations", report.source, "a source with at least one valid price row" + detail
        )
    return report


def merge_reports(reports: Sequence[SourceReport]) -> SourceReport:
    """Combine several readers' reports into one (observations and problems concatenated)."""
    if not reports:
        raise InvalidParameterError("reports", reports, "at least one source report")
    return SourceReport(
        source="+".join(r.source for r in reports),
        observations=tuple(o for r in reports for o in r.observations),
        problems=tuple(p for r in reports for p in r.problems),
    )
