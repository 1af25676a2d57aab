"""No way around autoescaping for user data (ASVS V3.2.2), checked on the source itself.

Templates never use |safe nor {% autoescape false %}. Python code only builds Markup from a
constant template (``Markup("<b>{}</b>").format(value)`` escapes `value`); Markup of anything
else (a variable, an f-string, a concatenation), render_template_string, autoescape=False and
.unescape() are refused. A reviewed exception is marked on its line with `# markup-reviewed: why`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_RULES = {
    "|safe": re.compile(r"\|\s*safe\b"),
    "autoescape false": re.compile(r"{%-?\s*autoescape\s+false", re.IGNORECASE),
}
REVIEWED = "# markup-reviewed:"


def template_offences(files: list[Path], base: Path = ROOT) -> list[str]:
    """Return "file:line: rule" for every template line that turns escaping off."""
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [
                f"{path.relative_to(base)}:{number}: {name}"
                for name, pattern in TEMPLATE_RULES.items()
                if pattern.search(line)
            ]
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _call_offence(call: ast.Call) -> str | None:
    name = _name(call.func)
    if name == "Markup":
        constant = all(
            isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in call.args
        )
        return None if constant and not call.keywords else "Markup() of a non-constant"
    if name == "render_template_string":
        return "render_template_string()"
    if name == "unescape":
        return ".unescape()"
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg == "autoescape" and isinstance(value, ast.Constant) and value.value is False:
            return "autoescape=False"
    return None


def code_offences(files: list[Path], base: Path = ROOT) -> list[str]:
    """Return "file:line: rule" for every call that could mark user data as safe HTML."""
    found = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            offence = _call_offence(node)
            if offence and REVIEWED not in lines[node.lineno - 1]:
                found.append(f"{path.relative_to(base)}:{node.lineno}: {offence}")
    return sorted(found)


def test_templates_never_turn_escaping_off() -> None:
    templates = sorted((ROOT / "templates").rglob("*.htm*"))
    assert templates, "no template found"
    assert template_offences(templates) == []


def test_python_code_never_marks_data_safe() -> None:
    code = sorted((ROOT / "accompagnement").rglob("*.py"))
    assert code_offences(code) == []


def test_the_checks_find_offences(tmp_path: Path) -> None:
    """The checks can fail."""
    page = tmp_path / "page.html"
    page.write_text("<p>{{ project.name | safe }}</p>\n{% autoescape false %}\n", encoding="utf-8")
    assert template_offences([page], tmp_path) == [
        "page.html:1: |safe",
        "page.html:2: autoescape false",
    ]
    module = tmp_path / "module.py"
    module.write_text(
        "from markupsafe import Markup\n"
        "a = Markup('<b>{}</b>').format(name)\n"  # fine: constant template, escaped value
        "b = Markup(name)\n"
        "c = Markup(f'<b>{name}</b>')\n"
        "d = Markup('<b>' + name + '</b>')\n"
        "e = Markup(name)  # markup-reviewed: a test of the escape hatch\n"
        "f = render_template_string(source)\n"
        "g = Environment(autoescape=False)\n",
        encoding="utf-8",
    )
    assert code_offences([module], tmp_path) == [
        "module.py:3: Markup() of a non-constant",
        "module.py:4: Markup() of a non-constant",
        "module.py:5: Markup() of a non-constant",
        "module.py:7: render_template_string()",
        "module.py:8: autoescape=False",
    ]
