"""The PDF and DOCX libraries are imported when a report file is drawn, not by every worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
from accompagnement import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
print(" ".join(name for name in ("fpdf", "docx") if name in sys.modules))
"""


def test_a_started_app_has_not_imported_fpdf_nor_python_docx() -> None:
    # A fresh interpreter: the test session itself has imported them long ago.
    found = subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == []
