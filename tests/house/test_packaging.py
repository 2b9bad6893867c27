"""Packaging rules: one version source, dependency ranges, a lock that pins every range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import tokenfutures

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirements() -> list[str]:
    project = PYPROJECT["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return [*project["dependencies"], *extras]


def _name(requirement: str) -> str:
    match = _NAME.match(requirement)
    assert match is not None, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def test_the_version_is_written_once_and_read_from_the_metadata() -> None:
    assert tokenfutures.__version__ == PYPROJECT["project"]["version"]
    init = (ROOT / "src" / "tokenfutures" / "__init__.py").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["version"] not in init


def test_dependencies_are_ranges_with_an_upper_bound_not_pins() -> None:
    for requirement in _requirements():
        if requirement.startswith("tokenfutures["):
            continue
        spec = requirement.split(";")[0]
        assert "==" not in spec, requirement
        assert ">=" in spec, requirement
        assert "<" in spec.replace("<=", ""), requirement


def test_the_lock_pins_every_dependency_exactly() -> None:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pinned = {_name(line) for line in lines if "==" in line and not line.startswith("#")}
    wanted = {_name(r) for r in _requirements() if not r.startswith("tokenfutures[")}
    assert wanted <= pinned, sorted(wanted - pinned)


def test_nothing_pulls_in_dask_any_more() -> None:
    assert "dask" not in {_name(r) for r in _requirements()}
