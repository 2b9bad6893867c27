"""One settings object from defaults, a TOML file, the environment and explicit values."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tokenfutures.bootstrap import Settings, build_api, load_settings, open_venue
from tokenfutures.core.clock import ManualClock
from tokenfutures.core.errors import InvalidParameterError
from tokenfutures.storage import open_store


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TOKENFUTURES_CONFIG", "TOKENFUTURES_STORE__URL", "TOKENFUTURES_API__BURST"):
        monkeypatch.delenv(name, raising=False)


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tokenfutures.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_name_the_embedded_sqlite_file_and_loopback() -> None:
    settings = load_settings()
    assert settings.store.url == "sqlite:///tokenfutures.db"
    assert (settings.serve.host, settings.serve.port) == ("127.0.0.1", 8000)
    assert settings.api.burst == 400


def test_file_then_environment_then_explicit_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _toml(tmp_path, '[store]\nurl = "memory://"\n[api]\nburst = 7\nrate_per_second = 3.0\n')
    from_file = load_settings(path)
    assert (from_file.store.url, from_file.api.burst, from_file.api.rate_per_second) == (
        "memory://",
        7,
        3.0,
    )
    monkeypatch.setenv("TOKENFUTURES_API__BURST", "9")
    from_env = load_settings(path)
    assert (from_env.api.burst, from_env.api.rate_per_second) == (9, 3.0)  # the rest stays
    explicit = load_settings(path, api={"burst": 11})
    assert (explicit.api.burst, explicit.store.url) == (11, "memory://")


def test_the_config_file_may_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKENFUTURES_CONFIG", str(_toml(tmp_path, "[serve]\nport = 0\n")))
    assert load_settings().serve.port == 0


def test_unrelated_prefixed_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKENFUTURES_TEST_PG_URL", "postgresql://nobody@localhost/none")
    assert isinstance(load_settings(), Settings)


def test_bad_values_and_missing_files_are_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InvalidParameterError, match="config"):
        load_settings(tmp_path / "absent.toml")
    monkeypatch.setenv("TOKENFUTURES_API__BURST", "0")
    with pytest.raises(InvalidParameterError, match=r"api\.burst") as caught:
        load_settings()
    assert str(caught.value) == "api.burst must be greater than or equal to 1 (got '0')"
    monkeypatch.delenv("TOKENFUTURES_API__BURST")
    with pytest.raises(InvalidParameterError, match=r"serve\.port"):
        load_settings(serve={"port": 70_000})
    with pytest.raises(InvalidParameterError, match=r"api\.bursts must be a known setting"):
        load_settings(api={"bursts": 1})


def test_settings_are_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        load_settings().store = None  # type: ignore[assignment]


def test_the_root_opens_the_venue_and_its_api_from_the_settings() -> None:
    settings = load_settings(store={"url": "memory://"}, api={"title": "from settings"})
    venue = open_venue(settings, ManualClock(datetime(2026, 3, 2, 15, tzinfo=UTC)))
    try:
        assert venue.seq == 0
        assert build_api(venue, settings).title == "from settings"
    finally:
        venue.close()


def test_the_cli_reads_the_store_from_the_config_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'venue.db'}"
    open_store(url).close()
    path = _toml(tmp_path, f'[store]\nurl = "{url}"\n')
    command = [sys.executable, "-m", "tokenfutures", "--config", str(path), "storage", "info"]
    done = subprocess.run([*command, "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["journal_last_seq"] == 0
    missing = [sys.executable, "-m", "tokenfutures", "--config", str(tmp_path / "no.toml")]
    refused = subprocess.run(
        [*missing, "storage", "info"], capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 2
    assert "config must be an existing TOML file" in " ".join(refused.stderr.split())
    assert "Traceback" not in refused.stderr
