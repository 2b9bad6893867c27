"""The API against its own OpenAPI document, every schemathesis check (ADR 0659).

In process: each operation with a few dozen generated requests (positive and negative), every
check schemathesis has. Live: the schemathesis CLI against a real uvicorn server, every check
and every phase, the stateful one included (links between operations); bounded to a few
hundred requests. Both must find no server error and no conformance failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation.meta import GenerationMode, ParameterLocation

from tokenfutures.api import ApiSettings, create_app, serve_in_thread

from .helpers import open_market

#: Rate limits out of the way: the checks send many failed keys from one address on purpose.
UNLIMITED = ApiSettings(
    rate_per_second=1e6,
    burst=1_000_000,
    auth_failure_rate_per_second=1e6,
    auth_failure_burst=1_000_000,
)
MARKET = open_market()
APP = create_app(MARKET.venue, settings=UNLIMITED)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
ST = Path(sys.executable).with_name("schemathesis")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_openapi_spec(case: schemathesis.Case) -> None:
    headers = {"X-API-Key": MARKET.keys["alice"]}
    mutated = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if mutated is not None and mutated.mode is GenerationMode.NEGATIVE:
        headers = {}  # the case drops or breaks the key on purpose: send it as generated
    case.call_and_validate(headers=headers)  # every check


def test_live_server_passes_every_check_and_the_stateful_phase(tmp_path: Path) -> None:
    market = open_market()
    server = serve_in_thread(create_app(market.venue, settings=UNLIMITED))
    report = tmp_path / "junit.xml"
    try:
        done = subprocess.run(
            [
                str(ST),
                "run",
                f"{server.base_url}/openapi.json",
                "--checks=all",
                "--phases=examples,coverage,fuzzing,stateful",
                "--max-examples=15",
                "--seed=3",
                "--generation-deterministic",
                "--continue-on-failure",
                "--request-timeout=10",
                "--header",
                f"X-API-Key: {market.keys['alice']}",
                "--report=junit",
                f"--report-junit-path={report}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
    finally:
        server.stop()
        market.venue.close()
    summary = "\n".join(done.stdout.splitlines()[-25:])
    assert done.returncode == 0, summary
    assert "Stateful" in done.stdout, summary
    assert " passed" in done.stdout, summary
    json.dumps(summary)  # the summary is printable text (kept for the failure message)
