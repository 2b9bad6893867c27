"""Strict query and path types: ISO days and instants only (pydantic's lax mode would read a
number as a Unix time, which the OpenAPI schema does not allow)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` is a day (pydantic alone would read ``0`` as 1970-01-01)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value) is None:
        raise ValueError("a day is YYYY-MM-DD")
    return value


def _iso_instant(value: object) -> object:
    """Only an ISO 8601 time is an instant (pydantic alone would read ``0.5`` as a Unix time)."""
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("an instant is ISO 8601, e.g. 2026-12-06T16:00:00Z") from None
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoInstant = Annotated[datetime, BeforeValidator(_iso_instant)]
