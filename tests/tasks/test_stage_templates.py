"""A workflow's task templates: entering a stage creates its tasks once, with their due dates;
a bad template is refused with the file, the path and the line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accompagnement.engine import DefinitionError, load_file
from accompagnement.messages import describe_problem
from accompagnement.tasks.models import Assignee
from tests.fixtures.tasks import place_at, tasks_of

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
ENTERED = dt.datetime(2026, 3, 2, 9, 30)


def test_creating_a_project_creates_the_first_stage_tasks(make_project: Callable) -> None:
    project = make_project(at=ENTERED)
    tasks = {t.template: t for t in tasks_of(project)}
    assert set(tasks) == {"fiche_projet", "formation"}
    assert tasks["fiche_projet"].assignee == Assignee.HOLDERS
    assert tasks["formation"].assignee == Assignee.COORDINATION
    assert tasks["fiche_projet"].due_on == dt.date(2026, 4, 1)  # 30 days after entering
    assert all(t.stage == "premier_contact" and t.done_at is None for t in tasks.values())


def test_entering_the_dla_stage_asks_to_contact_the_dla_within_30_days(
    make_project: Callable, fire: Callable
) -> None:
    project = make_project(at=ENTERED)
    place_at(project, "etude_faisabilite")
    fire(project, "back", at=ENTERED)
    dla = [t for t in tasks_of(project) if t.stage == "dla"]
    contact = next(t for t in dla if t.template == "contact_dla")
    assert contact.title == "Prendre contact avec le DLA du département"
    assert contact.due_on == ENTERED.date() + dt.timedelta(days=30)
    assert {t.template for t in dla} == {"contact_dla", "point_dla"}


def test_entering_a_stage_twice_creates_its_tasks_once(
    make_project: Callable, fire: Callable
) -> None:
    project = make_project(at=ENTERED)
    place_at(project, "dla")
    for trigger in ("skip", "back", "skip", "back", "pause", "resume"):
        fire(project, trigger)
    stages = sorted((t.stage, t.template) for t in tasks_of(project))
    assert stages == sorted(
        [
            ("premier_contact", "fiche_projet"),
            ("premier_contact", "formation"),
            ("etude_faisabilite", "donnees_decheteries"),
            ("etude_faisabilite", "cahier_des_charges"),
            ("dla", "contact_dla"),
            ("dla", "point_dla"),
        ]
    )


def test_a_done_or_deleted_template_task_is_not_made_again_when_done(
    make_project: Callable, fire: Callable, coordinator: Any
) -> None:
    from accompagnement.extensions import db
    from accompagnement.tasks import services

    project = make_project()
    first = tasks_of(project)[0]
    services.set_done(first.id, done=True, user_id=coordinator.id)
    db.session.commit()
    fire(project, "pause")
    fire(project, "resume")
    assert [t.id for t in tasks_of(project)] == [t.id for t in tasks_of(project)[:2]]
    assert len(tasks_of(project)) == 2 and tasks_of(project)[0].done


def test_the_shipped_pathway_declares_templates_on_every_step() -> None:
    definition = load_file(WORKFLOWS / "creation-ressourcerie-v2.yaml")  # the newest version
    steps = [s for s in definition.stages if s.kind == "stage"]
    assert all(stage.tasks for stage in steps)
    assert all(t.title.en for stage in steps for t in stage.tasks)


TEMPLATE_YAML = """\
name: mini
version: 1
label: Mini
initial: a
stages:
  - key: a
    label: A
    tasks:
      - key: call
        title: {fr: Appeler, en: Call}
        assignee: everybody
        due_days: 7
      - key: call
        title: Rappeler
        assignee: holders
        due_days: 99999
  - key: b
    kind: final
    label: B
transitions:
  - {trigger: go, label: Aller, source: a, dest: b, roles: [coordinator]}
"""


@pytest.mark.parametrize(
    ("path", "line", "english", "french"),
    [
        (
            "stages[0].tasks[0].assignee",
            11,
            "unknown task assignee 'everybody'; expected one of: holders, coordinator",
            "destinataire de tâche inconnu(e) : 'everybody'",
        ),
        (
            "stages[0].tasks[1].due_days",
            16,
            "expected a number <= 3650, got 99999",
            "nombre <= 3650 attendu, trouvé : 99999",
        ),
    ],
)
def test_a_bad_template_is_refused_with_file_path_and_line(
    tmp_path: Path, path: str, line: int, english: str, french: str
) -> None:
    target = tmp_path / "mini.yaml"
    target.write_text(TEMPLATE_YAML, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_file(target)
    problem = next(p for p in caught.value.problems if p.path == path)
    assert (problem.origin, problem.line) == (str(target), line)
    sentence = describe_problem(problem, "en")
    assert sentence.startswith(f"{target}: {path}: {english}")
    assert sentence.endswith(f"(line {line})")
    assert describe_problem(problem, "fr").startswith(f"{target}: {path}: {french}")


def test_a_duplicate_template_key_names_the_first_one(tmp_path: Path) -> None:
    target = tmp_path / "mini.yaml"
    fixed = TEMPLATE_YAML.replace("everybody", "holders").replace("99999", "9")
    target.write_text(fixed, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_file(target)
    [problem] = caught.value.problems
    assert (problem.path, problem.code, problem.line) == (
        "stages[0].tasks[1].key",
        "duplicate_task_key",
        13,
    )
    assert "stages[0].tasks[0]" in describe_problem(problem, "en")


def test_template_titles_show_in_the_readers_language(make_project: Callable) -> None:
    from accompagnement.tasks.display import title_in

    task = next(t for t in tasks_of(make_project()) if t.template == "fiche_projet")
    assert title_in(task, "en") == "Send the completed project sheet"
    assert title_in(task, "fr") == "Envoyer la fiche projet complétée"
    task.title = "Envoyer la fiche projet et les statuts"
    assert title_in(task, "en") == "Envoyer la fiche projet et les statuts"
