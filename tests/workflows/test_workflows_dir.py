"""Broken files inside WORKFLOWS_DIR: `flask workflows check` lists every problem (file, path,
line) and exits 1, and the application refuses to start with the same message; no traceback.
The messages speak the shell's language: English here (LANG=en_US), French checked below."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

from accompagnement import create_app
from accompagnement.engine import DefinitionError, load_directory
from accompagnement.errors import WorkflowFilesInvalid
from accompagnement.messages import describe_problem

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from definition_cases import MEANING_CASES, STRUCTURE_CASES  # noqa: E402
from engine_helpers import MINIMAL, to_yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "workflows").glob("*.yaml"))
ENGLISH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}
FRENCH = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "fr_FR.UTF-8"}

TEXT_CASES = [
    ("syntax error", "name: [unclosed\n"),
    ("duplicate top key", to_yaml(MINIMAL) + "version: 2\n"),
    ("duplicate key in a stage", to_yaml(MINIMAL).replace("- key: a\n", "- key: a\n  key: z\n", 1)),
    ("list", "- a\n- b\n"),
    ("empty", ""),
]


def _config(tmp_path: Path, directory: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}",
        "PASSWORD_HASH_PROFILE": "test",
        "WORKFLOWS_DIR": str(directory),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }


def _directory_with(tmp_path: Path, name: str, text: str | bytes, *, shipped: bool = False) -> Path:
    """A WORKFLOWS_DIR holding one file (and the shipped workflows when asked)."""
    directory = tmp_path / "workflows"
    directory.mkdir()
    for path in SHIPPED if shipped else ():
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = directory / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return directory


def _check(tmp_path: Path, directory: Path, env: dict[str, Any] = ENGLISH) -> Any:
    """Run `flask workflows check` through Flask's CLI, the factory loading the app."""
    cli = FlaskGroup(create_app=lambda: create_app(_config(tmp_path, directory)))
    return CliRunner(env=env).invoke(cli, ["workflows", "check"], catch_exceptions=False)


def _expected(directory: Path, locale: str = "en") -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_directory(directory)
    return [describe_problem(problem, locale) for problem in caught.value.problems]


def _assert_reported(tmp_path: Path, directory: Path, name: str) -> None:
    expected = _expected(directory)
    assert expected and all(f"{directory / name}: " in line for line in expected)
    result = _check(tmp_path, directory)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for line in expected:
        assert line in result.output


@pytest.mark.parametrize(
    "change",
    [pytest.param(case[1], id=case[0]) for case in STRUCTURE_CASES + MEANING_CASES],
)
def test_a_broken_definition_in_the_directory_is_reported(
    tmp_path: Path, change: Callable[[dict[str, Any]], None]
) -> None:
    data = copy.deepcopy(MINIMAL)
    change(data)
    directory = _directory_with(tmp_path, "broken.yaml", to_yaml(data))
    _assert_reported(tmp_path, directory, "broken.yaml")


@pytest.mark.parametrize("text", [pytest.param(t, id=name) for name, t in TEXT_CASES])
def test_a_malformed_file_in_the_directory_is_reported(tmp_path: Path, text: str) -> None:
    directory = _directory_with(tmp_path, "broken.yaml", text)
    _assert_reported(tmp_path, directory, "broken.yaml")


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    directory = _directory_with(tmp_path, "latin1.yml", "name: élan\n".encode("latin-1"))
    _assert_reported(tmp_path, directory, "latin1.yml")


def test_a_second_file_of_the_same_version_is_reported(tmp_path: Path) -> None:
    text = (ROOT / "workflows" / "adhesion-reseau.yaml").read_text(encoding="utf-8")
    directory = _directory_with(tmp_path, "zz-copy.yaml", text, shipped=True)
    _assert_reported(tmp_path, directory, "zz-copy.yaml")


def test_every_broken_file_is_reported_at_once(tmp_path: Path) -> None:
    directory = _directory_with(tmp_path, "one.yaml", to_yaml({**MINIMAL, "initial": "zz"}))
    (directory / "two.yaml").write_text(to_yaml({**MINIMAL, "name": "other", "colour": "red"}))
    output = _check(tmp_path, directory).output
    assert f"{directory / 'one.yaml'}: initial: unknown stage 'zz'" in output
    assert f"{directory / 'two.yaml'}: colour: unknown key 'colour'" in output


def test_the_web_app_refuses_to_start_with_the_same_message(tmp_path: Path) -> None:
    directory = _directory_with(tmp_path, "broken.yaml", to_yaml({**MINIMAL, "initial": "zz"}))
    with pytest.MonkeyPatch.context() as patch, pytest.raises(WorkflowFilesInvalid) as refused:
        patch.setenv("LANG", "en_US.UTF-8")
        patch.delenv("LC_ALL", raising=False)
        patch.delenv("LC_MESSAGES", raising=False)
        create_app(_config(tmp_path, directory))
    message = refused.value.format_message()
    assert message.startswith(f"the workflow files in {directory} are invalid")
    assert all(line in message for line in _expected(directory))
    assert message in _check(tmp_path, directory).output


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    result = _check(tmp_path, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "nowhere: cannot read the directory" in result.output


def test_the_real_flask_command_prints_no_traceback(tmp_path: Path) -> None:
    directory = _directory_with(tmp_path, "broken.yaml", "name: [unclosed\n", shipped=True)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
        "LANG": "en_US.UTF-8",
        "WORKFLOWS_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "accompagnement", "workflows", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{directory / 'broken.yaml'}: " in done.stderr and "invalid YAML" in done.stderr


def test_the_check_speaks_french_in_a_french_shell(tmp_path: Path) -> None:
    directory = _directory_with(tmp_path, "broken.yaml", to_yaml({**MINIMAL, "initial": "zz"}))
    french = _check(tmp_path, directory, FRENCH)
    assert french.exit_code == 1
    assert f"{directory / 'broken.yaml'}: initial: étape « zz » inconnue" in french.output
    assert "unknown" not in french.output
    assert all(line in french.output for line in _expected(directory, "fr"))
    english = _check(tmp_path, directory, ENGLISH)
    assert f"{directory / 'broken.yaml'}: initial: unknown stage 'zz'" in english.output


def test_the_web_app_refuses_to_start_in_the_shell_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _directory_with(tmp_path, "broken.yaml", to_yaml({**MINIMAL, "initial": "zz"}))
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    with pytest.raises(WorkflowFilesInvalid) as refused:
        create_app(_config(tmp_path, directory))
    message = refused.value.format_message()
    assert message.startswith(f"les fichiers de parcours de {directory} sont invalides")
    assert all(line in message for line in _expected(directory, "fr"))
