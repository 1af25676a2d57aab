"""Plain helpers of the engine tests: a small valid definition and ways to build facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from accompagnement.engine import DefinitionError, DefinitionProblem, FormFacts, load_definition

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"

PREMIER_CONTACT_ITEMS = frozenset(
    {"welcome_interview", "project_sheet", "charter_presented", "training_offered"}
)

MINIMAL: dict[str, Any] = {
    "name": "mini",
    "version": 1,
    "label": {"fr": "Mini", "en": "Mini"},
    "initial": "a",
    "stages": [
        {
            "key": "a",
            "label": {"fr": "Étape A", "en": "Stage A"},
            "form": {
                "fields": [
                    {"key": "title", "type": "text", "label": {"fr": "Titre"}},
                    {
                        "key": "items",
                        "type": "group",
                        "label": {"fr": "Éléments"},
                        "fields": [{"key": "when", "type": "date", "label": {"fr": "Quand"}}],
                    },
                    {
                        "key": "avis",
                        "type": "choice",
                        "label": {"fr": "Avis"},
                        "choices": [
                            {"key": "oui", "label": {"fr": "Oui"}},
                            {"key": "non", "label": {"fr": "Non"}},
                        ],
                    },
                ]
            },
            "checklist": [{"key": "done", "label": {"fr": "Fait"}}],
        },
        {"key": "b", "kind": "final", "label": {"fr": "Fin B"}},
        {"key": "pause", "kind": "hold", "label": {"fr": "Pause"}},
    ],
    "transitions": [
        {
            "trigger": "go",
            "label": {"fr": "Aller"},
            "source": "a",
            "dest": "b",
            "roles": ["coordinator"],
            "guards": ["form_submitted"],
        },
        {
            "trigger": "pause",
            "label": {"fr": "Pause"},
            "source": "*",
            "dest": "pause",
            "roles": ["coordinator"],
        },
        {
            "trigger": "resume",
            "label": {"fr": "Reprendre"},
            "source": "pause",
            "dest": "@return",
            "roles": ["coordinator"],
        },
    ],
}


def to_yaml(data: dict[str, Any]) -> str:
    """Write definition data as YAML text."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def submitted(**data_by_stage: dict[str, Any]) -> dict[str, FormFacts]:
    """Return forms facts with a submitted version for each given stage."""
    return {stage: FormFacts("submitted", data) for stage, data in data_by_stage.items()}


def problems_of(
    source: dict[str, Any] | str, origin: str = "workflows/x.yaml"
) -> list[DefinitionProblem]:
    """Load definition data (or YAML text) that must be invalid; return its problems."""
    text = source if isinstance(source, str) else to_yaml(source)
    try:
        load_definition(text, origin)
    except DefinitionError as exc:
        return exc.problems
    raise AssertionError("the definition was accepted")
