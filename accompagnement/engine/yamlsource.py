"""Read YAML text: syntax errors with their line, duplicate keys, and the line of every path."""

from dataclasses import dataclass, field
from typing import Any

import yaml

from accompagnement.engine.problems import Issue, format_path, issue


@dataclass
class YamlSource:
    """The data read from a YAML text, the line of each path, and (issue, line) problems."""

    data: Any = None
    lines: dict[str, int] = field(default_factory=dict)
    issues: list[tuple[Issue, int | None]] = field(default_factory=list)

    def line_of(self, path: str) -> int | None:
        """Return the line of `path`, or of its nearest enclosing path that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = _parent(path)
        return self.lines.get("")


def read_yaml(text: str) -> YamlSource:
    """Parse YAML text with the safe loader, noting duplicate keys PyYAML would overwrite."""
    source = YamlSource()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        source.data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        source.issues.append((issue("", "invalid_yaml", reason=_yaml_problem(exc)), line))
        return source
    if node is not None:
        _walk(node, (), source)
    return source


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Return the short explanation of a YAML error."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem and context:
        return f"{problem} ({context})"
    return str(problem or exc)


def _walk(node: yaml.Node, loc: tuple[str | int, ...], source: YamlSource) -> None:
    """Record the line of each path and the duplicate keys below `node`."""
    source.lines.setdefault(format_path(loc), node.start_mark.line + 1)
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), source)
    elif isinstance(node, yaml.MappingNode):
        _walk_mapping(node, loc, source)


def _walk_mapping(node: yaml.MappingNode, loc: tuple[str | int, ...], source: YamlSource) -> None:
    """Walk the entries of a mapping, reporting a key written twice."""
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in first_line:
            found = issue(
                format_path((*loc, key)), "duplicate_yaml_key", key=key, first=first_line[key]
            )
            source.issues.append((found, line))
            continue
        first_line[key] = line
        source.lines.setdefault(format_path((*loc, key)), line)
        _walk(value_node, (*loc, key), source)


def _parent(path: str) -> str:
    """Return the enclosing path: `a.b[2]` -> `a.b`, `a.b` -> `a`."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""
