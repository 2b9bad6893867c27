"""The index administrator corrects a fix over HTTP while the venue serves (ADR 0245).

A real venue holding the published TPI history (the real price file), served by uvicorn on
loopback; the corrections go through ``POST /v1/index/fixings/{day}/corrections`` and the
installed console script (``index correct --url``) in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tokenfutures.api import RunningServer, serve_in_thread
from tokenfutures.bootstrap import build_api, load_settings, open_venue
from tokenfutures.core.clock import ManualClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.index.publication import PublicationPolicy
from tokenfutures.index.sources.inputs import open_index_service
from tokenfutures.venue.service import Venue

from .helpers import memory_settings

LTD = date(2026, 6, 17)  # SITM26's last trading day
EVENING = datetime(2026, 6, 17, 20, 0, tzinfo=UTC)
CLI = str(Path(sys.executable).parent / "tokenfutures")


@dataclass
class Served:
    """The running venue, its server, a trading key and an index administrator's key."""

    venue: Venue
    server: RunningServer
    trader: str
    operator: str

    def post(self, day: date, body: dict[str, Any], key: str | None) -> httpx.Response:
        headers = {} if key is None else {"Authorization": f"Bearer {key}"}
        url = f"{self.server.base_url}/v1/index/fixings/{day.isoformat()}/corrections"
        return httpx.post(url, json=body, headers=headers)

    def revisions(self, day: date) -> list[dict[str, Any]]:
        url = f"{self.server.base_url}/v1/index/fixings/{day.isoformat()}/revisions"
        answer: list[dict[str, Any]] = httpx.get(url).json()
        return answer


@pytest.fixture(scope="module")
def served(shared_data: Path) -> Iterator[Served]:
    clock = ManualClock(EVENING)
    venue = open_venue(memory_settings(), clock)
    service = open_index_service(shared_data / "llm_price_history.csv")
    venue.index.publish_fixes(service.history(None, LTD, clock.now()))
    venue.settlement.list_contracts(LTD)
    trader = venue.accounts.create_account("alice")
    operator = venue.accounts.create_index_admin("jane.doe")
    server = serve_in_thread(build_api(venue, memory_settings()))
    yield Served(venue, server, trader, operator)
    server.stop()
    venue.close()


def tokenfutures(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "TOKENFUTURES_OPERATOR_KEY"}
    return subprocess.run(
        [CLI, *args], capture_output=True, text=True, timeout=120, check=False,
        env=environment | (env or {}),
    )  # fmt: skip


def test_an_operator_corrects_a_level_and_the_revision_names_them(served: Served) -> None:
    day = LTD - timedelta(days=1)
    original = served.revisions(day)[-1]
    answer = served.post(day, {"reason": "a row was misread", "level": "0.7125"}, served.operator)
    assert answer.status_code == 201, answer.text
    fix = answer.json()
    assert (fix["day"], fix["level"], fix["status"], fix["revision"]) == (
        day.isoformat(), "0.7125", "fixed", 1,
    )  # fmt: skip
    assert fix["reason"] == "correction: a row was misread"
    revisions = served.revisions(day)
    assert [r["revision"] for r in revisions] == [0, 1]
    assert revisions[1] == fix  # the answer is the revision the venue serves
    publication = revisions[1]["audit"]["publication"]
    assert publication["corrected_by"] == "jane.doe"  # the key's operator, not the body
    assert publication["kind"] == "judgement"
    assert publication["corrects"]["level"] == original["level"]


def test_an_operator_withholds_a_fix(served: Served) -> None:
    day = LTD - timedelta(days=2)
    answer = served.post(day, {"reason": "source outage", "withhold": True}, served.operator)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["level"], answer.json()["status"]) == (None, "withheld")
    assert served.revisions(day)[-1]["audit"]["publication"]["kind"] == "withheld"


def test_no_key_is_401_and_a_trading_key_is_403(served: Served) -> None:
    day = LTD - timedelta(days=1)
    before = served.revisions(day)
    body = {"reason": "not mine to correct", "level": "0.9"}
    missing = served.post(day, body, None)
    trading = served.post(day, body, served.trader)
    unknown = served.post(day, body, "tfk_000000000000_nope")
    assert (missing.status_code, trading.status_code, unknown.status_code) == (401, 403, 401)
    assert trading.headers["content-type"] == "application/problem+json"
    assert "index administrator" in trading.json()["detail"]
    assert served.revisions(day) == before  # nothing recorded


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "both", "level": "0.8", "withhold": True},
        {"reason": "neither"},
        {"reason": "withhold false", "withhold": False},
        {"reason": "a number", "level": 0.8},
        {"reason": "", "level": "0.8"},
        {"reason": "named", "level": "0.8", "by": "mallory"},  # the name comes from the key
        {"level": "0.8"},
    ],
)
def test_a_body_other_than_exactly_one_correction_is_422(
    served: Served, body: dict[str, Any]
) -> None:
    answer = served.post(LTD - timedelta(days=3), body, served.operator)
    assert answer.status_code == 422, answer.text
    assert answer.json()["title"] == "Invalid request"


def test_refusals_are_422_with_the_cli_text(served: Served) -> None:
    final = LTD - timedelta(days=20)
    answer = served.post(final, {"reason": "too late", "level": "0.8"}, served.operator)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert f"the fix of {final.isoformat()} became final at" in detail
    with pytest.raises(InvalidParameterError) as refused:  # the text of the database mode
        served.venue.index.correct_fix(
            final, reason="too late", by="x", policy=PublicationPolicy(), level=Decimal("0.8")
        )
    assert detail == str(refused.value)
    unfixed = served.post(LTD + timedelta(days=30), {"reason": "x", "level": "1"}, served.operator)
    assert unfixed.status_code == 422
    assert "a day the venue has fixed" in unfixed.json()["detail"]


def test_the_operator_key_cannot_trade(served: Served) -> None:
    base = served.server.base_url
    headers = {"X-API-Key": served.operator}
    symbol = served.venue.settlement.contracts()[0].symbol
    order = {"contract": symbol, "side": "buy", "quantity": 1, "price": "0.5",
             "client_order_id": "ops-1"}  # fmt: skip
    ack = httpx.post(f"{base}/v1/orders", json=order, headers=headers)
    assert ack.status_code == 201
    assert (ack.json()["status"], ack.json()["reason"]) == ("rejected", "UNKNOWN_ACCOUNT")
    margin = httpx.get(f"{base}/v1/account/margin", headers=headers)
    assert margin.status_code == 422
    assert "index-admin:jane.doe" not in served.venue.accounts.ids()
    with pytest.raises(InvalidParameterError, match="index-admin"):
        served.venue.accounts.create_account("index-admin:eve")


def test_the_cli_corrects_over_http_with_the_key_from_the_environment(served: Served) -> None:
    day = LTD - timedelta(days=3)
    done = tokenfutures(
        "index", "correct", "--date", day.isoformat(), "--level", "0.6001",
        "--reason", "judgement call", "--url", served.server.base_url,
        env={"TOKENFUTURES_OPERATOR_KEY": served.operator},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith(f"{day.isoformat()}: revision 1 0.6001 (was ")
    assert line.endswith("judgement, published 2026-06-17T20:00:00+00:00 by jane.doe; "
                         "correction: judgement call")  # fmt: skip
    assert served.revisions(day)[-1]["audit"]["publication"]["corrected_by"] == "jane.doe"


def test_the_cli_withholds_over_http_with_key(served: Served) -> None:
    day = LTD - timedelta(days=4)
    done = tokenfutures(
        "index", "correct", "--date", day.isoformat(), "--withhold", "--reason", "outage",
        "--url", served.server.base_url, "--key", served.operator, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"status":"withheld"' in done.stdout.replace(" ", "")
    assert served.revisions(day)[-1]["status"] == "withheld"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--key", "TRADER"], "index administrator's key may correct a fix (ADR 0245) (HTTP 403"),
        ([], "--key must be an index administrator's API key"),
        (["--key", "OPERATOR", "--by", "jane"], "--by must be omitted with --url"),
        (["--key", "OPERATOR", "--date-too-late"], "became final at"),
    ],
)
def test_the_cli_refusals_over_http_are_one_line_exit_2(
    served: Served, extra: list[str], expected: str
) -> None:
    day = LTD - timedelta(days=5)
    if "--date-too-late" in extra:
        extra, day = extra[:-1], LTD - timedelta(days=20)
    keys = {"TRADER": served.trader, "OPERATOR": served.operator}
    args = [keys.get(a, a) for a in extra]
    done = tokenfutures(
        "index", "correct", "--date", day.isoformat(), "--level", "0.61", "--reason", "r",
        "--url", served.server.base_url, *args,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_the_cli_keeps_recomputation_on_the_database(served: Served, shared_data: Path) -> None:
    done = tokenfutures(
        "index", "correct", "--date", (LTD - timedelta(days=5)).isoformat(), "--reason", "r",
        "--csv", str(shared_data / "llm_price_history.csv"), "--url", served.server.base_url,
        "--key", served.operator,
    )  # fmt: skip
    assert done.returncode == 2
    assert "recomputation from corrected inputs runs on the venue's database" in done.stderr
    assert len(served.revisions(LTD - timedelta(days=5))) == 1


def test_create_operator_prints_a_key_once_that_names_the_administrator(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    done = tokenfutures("accounts", "create-operator", "jane.doe", "--database", url)
    assert done.returncode == 0, done.stderr
    fields = dict(line.split(": ", 1) for line in done.stdout.strip().splitlines())
    assert (fields["operator"], fields["principal"]) == ("jane.doe", "index-admin:jane.doe")
    venue = open_venue(load_settings(store={"url": url}))
    try:
        assert venue.accounts.authenticate(fields["api_key"]) == "index-admin:jane.doe"
        assert venue.accounts.ids() == []  # no trading account was opened
    finally:
        venue.close()
    listed = tokenfutures("accounts", "list", "--database", url)
    assert listed.stdout.strip() == ""
