"""Property-based fuzzing of the API against its own OpenAPI spec: no 5xx, responses conform.

Bounded: a few dozen generated requests per operation (a few hundred in all), authenticated as
a real funded account on a real in-memory venue.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tokenfutures.api import create_app

from .helpers import open_market

MARKET = open_market()
APP = create_app(MARKET.venue)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_openapi_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": MARKET.keys["alice"]}, checks=CHECKS)
