"""Draw a workflow as a Mermaid stateDiagram-v2 (for `workflows show` and the documentation)."""

from accompagnement.engine.definition import Stage, WorkflowDefinition
from accompagnement.engine.graph import edges


def mermaid(definition: WorkflowDefinition, locale: str = "fr") -> str:
    """Return the stateDiagram-v2 text: stages with their labels, every concrete edge."""
    lines = ["stateDiagram-v2", f"    [*] --> {definition.initial}"]
    lines += [_state_line(stage, locale) for stage in definition.stages]
    for edge in edges(definition):
        label = _text(edge.transition.label.get(locale))
        lines.append(f"    {edge.source} --> {edge.dest} : {label}")
    lines += [f"    {s.key} --> [*]" for s in definition.stages if s.kind == "final"]
    holds = [s.key for s in definition.stages if s.kind == "hold"]
    if holds:
        lines += [
            "    classDef hold fill:#eee,stroke-dasharray:4",
            f"    class {','.join(holds)} hold",
        ]
    return "\n".join(lines) + "\n"


def _state_line(stage: Stage, locale: str) -> str:
    """Declare a stage with its label."""
    return f'    state "{_text(stage.label.get(locale))}" as {stage.key}'


def _text(value: str) -> str:
    """Keep a label on one line and out of Mermaid's syntax."""
    cleaned = " ".join(value.split())
    return cleaned.replace('"', "#quot;").replace(";", "#59;")
