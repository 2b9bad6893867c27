"""The api CLI commands, through a local typer root (the lead wires them into the real root)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from tokenfutures.cli import api_cmds


def _root() -> typer.Typer:
    root = typer.Typer()
    api_cmds.register(root)
    return root


def test_openapi_command_writes_the_spec(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    result = CliRunner().invoke(_root(), ["api", "openapi", "--output", str(target)])
    assert result.exit_code == 0, result.output
    spec = json.loads(target.read_text())
    assert spec["openapi"].startswith("3.")
    assert "/v1/orders" in spec["paths"]


def test_routes_json_marks_authenticated_routes() -> None:
    result = CliRunner().invoke(_root(), ["api", "routes", "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["method"], r["path"]): r["auth"] for r in json.loads(result.output)}
    assert rows[("POST", "/v1/orders")] is True
    assert rows[("GET", "/v1/contracts")] is False
    assert rows[("GET", "/v1/account/margin")] is True


def test_the_openapi_document_is_written_by_the_codec_with_the_problem_shape() -> None:
    script = Path(sys.executable).with_name("tokenfutures")
    result = subprocess.run(
        [str(script), "api", "openapi"], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    spec = json.loads(result.stdout)
    assert list(spec) == sorted(spec)  # keys sorted: the file diffs only where it changes
    schemas = spec["components"]["schemas"]
    assert list(schemas) == sorted(schemas)
    errors = schemas["Problem"]["properties"]["errors"]
    assert errors["anyOf"][0]["items"] == {"$ref": "#/components/schemas/Violation"}
    refused = spec["paths"]["/v1/orders"]["post"]["responses"]["422"]["content"]
    assert refused == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
