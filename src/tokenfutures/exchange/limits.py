"""Daily price limits (paper §5.3) and dynamic price bands, on integer ticks.

Price limits are set around the prior daily settlement price ``S``:

* first tier ``±halt_fraction`` (paper: 15 %): a trade beyond it does not happen; the contract
  halts for ``halt_minutes`` (paper: 10) and re-opens through an auction;
* second tier ``±session_fraction`` (paper: 25 %): a trade beyond it halts the contract until
  the next session.

Limit prices round **inward** to the tick (ADR 0381): the upper limit is
``floor(S · (1 + f))`` and the lower limit ``ceil(S · (1 − f))``, computed exactly in
integer arithmetic, so a price on the limit is always within the stated percentage. A trade
*at* a limit price is allowed; one tick beyond breaches it. After a first-tier halt in a session the
limits expand to the second tier in both directions (CME-style expanding limits), so the
re-opening auction and later trading may move up to ``±session_fraction``.

Dynamic price bands (ADR 0382) reject orders priced far from a reference: the last trade of
the session, else the prior settlement (:func:`band_reference`). The half-width is a number of
ticks, or a fraction of the reference rounded down to the tick (never below one tick).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import IntEnum

from tokenfutures.core.errors import InvalidParameterError, InvariantError

BUY = 1
SELL = -1


class LimitAction(IntEnum):
    """What a trade price does to the contract under the daily price limits."""

    NONE = 0
    HALT_10_MIN = 1
    HALT_TO_NEXT_SESSION = 2


@dataclass(frozen=True, slots=True)
class LimitRules:
    """The two-tier daily price limits around the prior settlement price (paper §5.3).

    Parameters
    ----------
    halt_fraction : Decimal
        First tier as a fraction of the prior settlement (0.15): breach halts for ``halt_minutes``.
    session_fraction : Decimal
        Second tier (0.25): breach halts the contract until the next session.
    halt_minutes : int
        Length of the first-tier halt before the re-opening auction.
    """

    halt_fraction: Decimal = Decimal("0.15")
    session_fraction: Decimal = Decimal("0.25")
    halt_minutes: int = 10

    def __post_init__(self) -> None:
        if not _finite_decimal(self.halt_fraction) or self.halt_fraction <= 0:
            raise InvalidParameterError("halt_fraction", self.halt_fraction, "a Decimal > 0")
        if not _finite_decimal(self.session_fraction) or not (
            self.halt_fraction <= self.session_fraction < 1
        ):
            raise InvalidParameterError(
                "session_fraction", self.session_fraction, "a Decimal in [halt_fraction, 1)"
            )
        if isinstance(self.halt_minutes, bool) or not isinstance(self.halt_minutes, int):
            raise InvalidParameterError("halt_minutes", self.halt_minutes, "a positive integer")
        if self.halt_minutes <= 0:
            raise InvalidParameterError("halt_minutes", self.halt_minutes, "a positive integer")

    @property
    def halt_duration(self) -> timedelta:
        """The first-tier halt as a duration."""
        return timedelta(minutes=self.halt_minutes)


@dataclass(frozen=True, slots=True)
class PriceLimits:
    """Limit prices in ticks (inclusive: trading at a limit is allowed, beyond it is not).

    Compute once per session with :func:`limit_prices`; the methods are then plain integer
    comparisons for the matching hot path.
    """

    halt_low: int
    halt_high: int
    session_low: int
    session_high: int

    def bounds(self, *, first_tier_done: bool = False) -> tuple[int, int]:
        """Lowest and highest price a trade may print at (second tier after a first-tier halt)."""
        if first_tier_done:
            return self.session_low, self.session_high
        return self.halt_low, self.halt_high

    def action(self, trade_price_ticks: int, *, first_tier_done: bool = False) -> LimitAction:
        """What a trade at ``trade_price_ticks`` would trigger; see :func:`classify`."""
        if not self.session_low <= trade_price_ticks <= self.session_high:
            return LimitAction.HALT_TO_NEXT_SESSION
        if first_tier_done or self.halt_low <= trade_price_ticks <= self.halt_high:
            return LimitAction.NONE
        return LimitAction.HALT_10_MIN

    def cap(self, side_sign: int, *, first_tier_done: bool = False) -> int:
        """The worst price an aggressor on ``side_sign`` may trade at; see :func:`fill_cap_ticks`."""
        _check_side(side_sign)
        low, high = self.bounds(first_tier_done=first_tier_done)
        return high if side_sign == BUY else low


def _finite_decimal(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_finite()


def _check_price(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidParameterError(name, value, "a positive integer number of ticks")


def _check_side(side_sign: int) -> None:
    if side_sign not in (BUY, SELL):
        raise InvalidParameterError("side_sign", side_sign, "+1 (buy) or -1 (sell)")


def limit_prices(prior_settlement_ticks: int, rules: LimitRules) -> PriceLimits:
    """Both tiers' limit prices for a prior settlement, rounded inward to the tick.

    Examples
    --------
    >>> limit_prices(1001, LimitRules())
    PriceLimits(halt_low=851, halt_high=1151, session_low=751, session_high=1251)
    """
    _check_price("prior_settlement_ticks", prior_settlement_ticks)
    halt_low, halt_high = _inward_bounds(prior_settlement_ticks, rules.halt_fraction)
    session_low, session_high = _inward_bounds(prior_settlement_ticks, rules.session_fraction)
    return PriceLimits(halt_low, halt_high, session_low, session_high)


def _inward_bounds(settle: int, fraction: Decimal) -> tuple[int, int]:
    """``(ceil(settle·(1−f)), floor(settle·(1+f)))`` in exact integer arithmetic."""
    numerator, denominator = fraction.as_integer_ratio()
    low = -((-settle * (denominator - numerator)) // denominator)  # ceiling division
    high = (settle * (denominator + numerator)) // denominator
    return low, high


def trading_bounds(
    prior_settlement_ticks: int, rules: LimitRules, *, first_tier_done: bool = False
) -> tuple[int, int]:
    """Lowest and highest price a trade may print at now (second tier once the first has halted)."""
    return limit_prices(prior_settlement_ticks, rules).bounds(first_tier_done=first_tier_done)


def classify(
    trade_price_ticks: int,
    prior_settlement_ticks: int,
    rules: LimitRules,
    *,
    first_tier_done: bool = False,
) -> LimitAction:
    """What a trade at ``trade_price_ticks`` would trigger (``NONE`` when within the limits).

    Beyond the second tier always halts to the next session; beyond the first tier halts for
    ``rules.halt_minutes`` unless the first tier already halted this session
    (``first_tier_done``), in which case the limits have expanded and it is ``NONE``.
    """
    _check_price("trade_price_ticks", trade_price_ticks)
    limits = limit_prices(prior_settlement_ticks, rules)
    return limits.action(trade_price_ticks, first_tier_done=first_tier_done)


def fill_cap_ticks(
    side_sign: int,
    prior_settlement_ticks: int,
    rules: LimitRules,
    *,
    first_tier_done: bool = False,
) -> int:
    """The worst price an aggressor may trade at: a buy stops above it, a sell below it.

    ``side_sign`` is +1 for a buy, -1 for a sell (an ``IntEnum`` side with those values works).
    When the next resting level lies beyond the cap, matching stops there and
    :func:`classify` of that level's price says which halt follows.
    """
    limits = limit_prices(prior_settlement_ticks, rules)
    return limits.cap(side_sign, first_tier_done=first_tier_done)


def beyond_cap(side_sign: int, price_ticks: int, cap_ticks: int) -> bool:
    """True when a level at ``price_ticks`` is past the aggressor's cap (matching must stop)."""
    _check_side(side_sign)
    return price_ticks > cap_ticks if side_sign == BUY else price_ticks < cap_ticks


def reopen_time(halted_at: datetime, rules: LimitRules) -> datetime:
    """When a first-tier halt that began at ``halted_at`` ends (the re-opening auction)."""
    if halted_at.tzinfo is None:
        raise InvalidParameterError("halted_at", halted_at, "timezone-aware")
    return halted_at + rules.halt_duration


@dataclass(frozen=True, slots=True)
class PriceBand:
    """Dynamic price band half-width: exactly one of ``ticks`` or ``fraction`` (of the reference)."""

    ticks: int | None = None
    fraction: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.ticks is None) == (self.fraction is None):
            raise InvalidParameterError(
                "band", (self.ticks, self.fraction), "exactly one of ticks or fraction"
            )
        if self.ticks is not None and (
            isinstance(self.ticks, bool) or not isinstance(self.ticks, int) or self.ticks <= 0
        ):
            raise InvalidParameterError("ticks", self.ticks, "a positive integer")
        if self.fraction is not None and (
            not _finite_decimal(self.fraction) or not 0 < self.fraction < 1
        ):
            raise InvalidParameterError("fraction", self.fraction, "a Decimal in (0, 1)")


def band_reference(last_trade_ticks: int | None, prior_settlement_ticks: int) -> int:
    """The band's reference: the session's last trade price, else the prior settlement."""
    _check_price("prior_settlement_ticks", prior_settlement_ticks)
    return prior_settlement_ticks if last_trade_ticks is None else last_trade_ticks


def band_half_width_ticks(reference_ticks: int, band: PriceBand) -> int:
    """Half-width in ticks: ``band.ticks``, or ``floor(reference · fraction)`` but at least 1."""
    _check_price("reference_ticks", reference_ticks)
    if band.fraction is not None:
        numerator, denominator = band.fraction.as_integer_ratio()
        return max(1, reference_ticks * numerator // denominator)
    if band.ticks is None:  # pragma: no cover - PriceBand validation forbids it
        raise InvariantError("a price band needs ticks or a fraction")
    return band.ticks


def within_band(
    order_price_ticks: int,
    reference_ticks: int,
    band: PriceBand,
    *,
    side_sign: int | None = None,
) -> bool:
    """Whether an order price lies inside the dynamic band around the reference (bounds inclusive).

    With ``side_sign`` only the aggressive side is checked, as on CME: a buy may not be priced
    above ``reference + width`` and a sell not below ``reference - width``; passive prices far
    away are allowed. Without it the band is symmetric.
    """
    width = band_half_width_ticks(reference_ticks, band)
    above = order_price_ticks <= reference_ticks + width
    below = order_price_ticks >= reference_ticks - width
    if side_sign is None:
        return above and below
    _check_side(side_sign)
    return above if side_sign == BUY else below
