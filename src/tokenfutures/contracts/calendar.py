"""Trading days, last trading days and the listing calendar: pure functions of a spec and a date.

On any date the listed set is the 6 (``consecutive_months``) delivery months starting at the
front month — the earliest month whose last trading day is on or after that date — plus the
4 (``quarterly_months``) nearest quarter months strictly beyond them. A contract still trades
on its last trading day and is gone the next day; a new one lists on the next trading day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tokenfutures.contracts.spec import ContractSpec
from tokenfutures.contracts.symbols import ContractSymbol, DeliveryMonth
from tokenfutures.core.errors import InvalidParameterError

_ONE_DAY = timedelta(days=1)


def is_business_day(spec: ContractSpec, day: date) -> bool:
    """True when ``day`` is a trading weekday of the spec and not an exchange holiday."""
    return day.weekday() in spec.session.trading_weekdays and not spec.holidays.is_holiday(day)


def previous_business_day(spec: ContractSpec, day: date) -> date:
    """The latest business day on or before ``day``."""
    while not is_business_day(spec, day):
        day -= _ONE_DAY
    return day


def next_business_day(spec: ContractSpec, day: date) -> date:
    """The earliest business day strictly after ``day``."""
    day += _ONE_DAY
    while not is_business_day(spec, day):
        day += _ONE_DAY
    return day


def business_days(spec: ContractSpec, first: date, last: date) -> list[date]:
    """Every business day in ``[first, last]``."""
    days = []
    day = first
    while day <= last:
        if is_business_day(spec, day):
            days.append(day)
        day += _ONE_DAY
    return days


def trading_day_of(spec: ContractSpec, instant: datetime) -> date | None:
    """The trading day whose session contains ``instant`` (aware), or ``None`` in a break or closure."""
    if instant.tzinfo is None:
        raise InvalidParameterError("instant", instant, "timezone-aware")
    for candidate in (instant.date(), instant.date() + _ONE_DAY):
        opens, closes = spec.session.bounds(candidate)
        if opens <= instant < closes and is_business_day(spec, candidate):
            return candidate
    return None


def last_trading_day_of_month(spec: ContractSpec, delivery: DeliveryMonth) -> date:
    """The LTD of a delivery month: the nth weekday (third Wednesday), moved back over holidays."""
    rule = spec.last_trading_day_rule
    first = date(delivery.year, delivery.month, 1)
    offset = (rule.weekday - first.weekday()) % 7
    nominal = first + timedelta(days=offset + 7 * (rule.nth - 1))
    return previous_business_day(spec, nominal)


def last_trading_day(spec: ContractSpec, symbol: ContractSymbol) -> date:
    """The last trading (and final settlement) day of ``symbol``."""
    _check_product(spec, symbol)
    return last_trading_day_of_month(spec, symbol.delivery)


def front_month(spec: ContractSpec, day: date) -> DeliveryMonth:
    """The earliest delivery month whose last trading day is on or after ``day``."""
    month = DeliveryMonth(day.year, day.month)
    if last_trading_day_of_month(spec, month) < day:
        month = month.shifted(1)
    return month


def listed_months_for_front(spec: ContractSpec, front: DeliveryMonth) -> list[DeliveryMonth]:
    """The listed delivery months when ``front`` is the front month, ascending."""
    rule = spec.listing
    monthly = [front.shifted(k) for k in range(rule.consecutive_months)]
    quarterly: list[DeliveryMonth] = []
    candidate = monthly[-1].shifted(1)
    while len(quarterly) < rule.quarterly_months:
        if candidate.month in rule.quarter_cycle:
            quarterly.append(candidate)
        candidate = candidate.shifted(1)
    return monthly + quarterly


def listed_contracts(spec: ContractSpec, day: date) -> list[ContractSymbol]:
    """Contracts listed (open interest may exist) on ``day``, nearest first; weekends included."""
    months = listed_months_for_front(spec, front_month(spec, day))
    return [ContractSymbol(spec.product, month) for month in months]


def trading_contracts(spec: ContractSpec, day: date) -> list[ContractSymbol]:
    """Contracts open for trading on ``day``: the listed ones on a business day, none otherwise."""
    return listed_contracts(spec, day) if is_business_day(spec, day) else []


def listing_date(spec: ContractSpec, symbol: ContractSymbol) -> date:
    """The calendar day on which ``symbol`` becomes listed.

    It is the day after the last trading day of the contract whose expiry brought ``symbol``
    into the listed set; its first trading day is the first business day from then on.
    """
    _check_product(spec, symbol)
    front = symbol.delivery
    while symbol.delivery in listed_months_for_front(spec, front.shifted(-1)):
        front = front.shifted(-1)
    return last_trading_day_of_month(spec, front.shifted(-1)) + _ONE_DAY


def first_trading_day(spec: ContractSpec, symbol: ContractSymbol) -> date:
    """The first business day on which ``symbol`` trades."""
    listed = listing_date(spec, symbol)
    return listed if is_business_day(spec, listed) else next_business_day(spec, listed)


def is_listed(spec: ContractSpec, symbol: ContractSymbol, day: date) -> bool:
    """True when ``symbol`` is listed on ``day`` (between its listing date and its LTD)."""
    return listing_date(spec, symbol) <= day <= last_trading_day(spec, symbol)


def _check_product(spec: ContractSpec, symbol: ContractSymbol) -> None:
    if symbol.product != spec.product:
        raise InvalidParameterError("symbol", str(symbol), f"a {spec.product} contract")
