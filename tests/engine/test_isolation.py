"""The engine is plain Python: importing it loads neither Flask nor SQLAlchemy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "flask_sqlalchemy", "flask_login", "flask_babel", "sqlalchemy")
REPORT = f"""
import sys
import accompagnement.engine
found = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})
print(" ".join(found))
"""
BARE_PARENT = f"""
import sys, types
parent = types.ModuleType("accompagnement")
parent.__path__ = [{str(ROOT / "accompagnement")!r}]
sys.modules["accompagnement"] = parent
"""


def _modules_loaded_by(code: str) -> str:
    """Run code in a fresh interpreter and return what it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    return result.stdout.strip()


def test_the_engine_modules_import_neither_flask_nor_sqlalchemy() -> None:
    # The parent package is replaced by an empty one: this checks the engine's own imports.
    assert _modules_loaded_by(BARE_PARENT + REPORT) == ""


def test_importing_the_engine_package_loads_neither_flask_nor_sqlalchemy() -> None:
    assert _modules_loaded_by(REPORT) == ""
