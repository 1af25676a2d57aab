"""The lock files say exactly what `make run` and `make test` install, and match pyproject.toml.

`make lock` rewrites requirements/*.txt from pyproject.toml; these tests fail when a dependency
changes in one and not the other, or when a direct dependency has no upper bound.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _locked(name: str) -> dict[str, str]:
    """Return {canonical name: version} pinned in requirements/<name>.txt, checking hashes."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match[1]} has no hash in {name}.txt"
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def _direct(extra: str | None) -> list[Requirement]:
    project = _project()
    names = list(project["dependencies"])
    if extra:
        names += project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in names]


@pytest.mark.parametrize(("lock", "extra"), [("run", None), ("test", "test")])
def test_every_direct_dependency_is_locked_within_its_range(lock, extra):
    pins = _locked(lock)
    for requirement in _direct(extra):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from requirements/{lock}.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{requirement.name}=={pins[name]} is outside {requirement.specifier}: run `make lock`"
        )


def test_running_does_not_install_the_test_tools():
    run = _locked("run")
    for tool in ("pytest", "playwright", "hypothesis", "mypy", "ruff"):
        assert tool not in run


def test_every_direct_dependency_has_an_upper_bound():
    bounding = {"<", "<=", "==", "~="}
    unbounded = [
        str(r) for r in _direct("test") if not any(s.operator in bounding for s in r.specifier)
    ]
    assert unbounded == []


def test_the_licence_is_an_spdx_expression():
    assert _project()["license"] == "AGPL-3.0-or-later"
