"""Random sequences of use cases keep the project's invariants (Hypothesis stateful testing).

Random triggers by random roles, form saves (drafts and submissions, valid or not, fresh or
stale), checklist ticks, and failures injected just before the commit. After every step: the
state is a stage of the workflow, the transition records replay to it, form revisions have no
gap, and whatever was refused or rolled back changed nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from accompagnement import tenancy
from accompagnement.auth.services import create_user
from accompagnement.errors import DomainError
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects import queries, services
from accompagnement.projects.models import FormSubmission, Project
from tests.conftest import default_network_id, empty_all_tables
from tests.fixtures.projects import assert_stage_entries_replay_the_records

ROLES = ("coordinator", "holder", "other_holder")
TRIGGERS = ("advance", "skip", "back", "pause", "resume", "abandon", "reopen", "open", "warp")
STAGES = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "nowhere")
COUNTED = (
    "projects", "transition_records", "form_submissions", "checklist_ticks", "audit_events",
    "comments",
)  # fmt: skip
VISIT = {"member": "{member}", "date": "2024-03-14", "kind": "visite"}
VALID = {
    "premier_contact": {"project_name": "Ressourcerie des Combrailles",
                        "holder_type": "association", "population": "12 500", "departement": "23"},
    "visites": {"visits": [VISIT, {**VISIT, "kind": "immersion", "days": "3"}]},
    "dla": {"operator": "Opérateur DLA Creuse", "days": "3,5", "cost": "2 400"},
    "etude_faisabilite": {"author": "reseau", "reusable_percent": "40"},
    "ouverture": {"opening_date": "2026-09-01", "address": "2 rue des Tanneries, Felletin"},
}  # fmt: skip
INVALID = [
    ("premier_contact", {"holder_type": "martien"}),
    ("premier_contact", {"population": "beaucoup"}),
    ("visites", {"visits": [{**VISIT, "member": "999999"}]}),
    ("visites", {"visits": [{**VISIT, "date": "31/02/2024"}]}),
    ("etude_faisabilite", {"reusable_percent": "140"}),
    ("ouverture", {"address": "x" * 400}),
]
FORM_CASES = [(s, d) for s, d in VALID.items()] + INVALID + [("visites", {}), ("nowhere", {})]
REASONS = (None, "", "Le porteur a déménagé")
FORWARD = ("advance",) * 6 + ("open",) * 2 + TRIGGERS[1:-1]  # biased towards moving on


class Injected(RuntimeError):
    """A failure injected inside a unit of work, before its commit."""


class ProjectServices(RuleBasedStateMachine):
    """One project, its holder, another holder and a coordinator, driven at random."""

    def __init__(self) -> None:
        super().__init__()
        empty_all_tables()
        self.scope = tenancy.enter(default_network_id())  # the tables' network went with them
        self.users = {
            role: create_user(f"{role}@example.org", name=f"Test {role}", role=kind).id
            for role, kind in (
                ("coordinator", "coordinator"), ("holder", "holder"), ("other_holder", "holder")
            )
        }  # fmt: skip
        member = Member(name="Ressourcerie du Pays de Felletin")
        db.session.add(member)
        db.session.flush()
        self.member_id = member.id
        project = services.create_project(
            "Projet aléatoire", workflow_name="creation-ressourcerie",
            user_id=self.users["coordinator"], holder_ids=[self.users["holder"]],
        )  # fmt: skip
        db.session.commit()
        self.project_id = project.id
        self.workflow = services.workflow_of(project)

    def teardown(self) -> None:
        tenancy.leave(self.scope)

    # Helpers -----------------------------------------------------------------------------

    def project(self) -> Project:
        project = db.session.get(Project, self.project_id)
        assert project is not None
        return project

    def snapshot(self) -> dict[str, Any]:
        """Everything a refused or rolled-back operation must leave as it was."""
        tables = db.metadata.tables
        counts = {
            name: db.session.scalar(sa.select(sa.func.count()).select_from(tables[name]))
            for name in COUNTED
        }
        project = db.session.execute(
            sa.select(Project.state, Project.return_state, Project.lock_version)
        ).all()
        ticks = db.session.execute(
            sa.text("SELECT stage, item, done, note FROM checklist_ticks ORDER BY id")
        ).all()
        entries = db.session.execute(
            sa.text("SELECT stage, entered_at, days, since FROM stage_entries ORDER BY stage")
        ).all()
        db.session.rollback()  # end the reading transaction
        return {
            "counts": counts,
            "project": project,
            "ticks": [tuple(t) for t in ticks],
            "entries": [tuple(e) for e in entries],
        }

    def attempt(self, operation: Callable[[], Any], *, fail: bool = False) -> bool:
        """Run one unit of work as a view does; check a refusal or a failure changed nothing."""
        before = self.snapshot()
        try:
            operation()
            if fail:
                raise Injected("before commit")
            db.session.commit()
            return True
        except (DomainError, Injected):
            db.session.rollback()
        assert self.snapshot() == before
        return False

    def fill(self, data: dict[str, Any]) -> dict[str, Any]:
        """Put the member's id in visit rows."""
        if "visits" not in data:
            return data
        visits = [
            {k: (str(self.member_id) if v == "{member}" else v) for k, v in row.items()}
            for row in data["visits"]
        ]
        return {**data, "visits": visits}

    # Rules -------------------------------------------------------------------------------

    @rule(
        trigger=st.sampled_from(TRIGGERS),
        role=st.sampled_from(ROLES),
        reason=st.sampled_from(REASONS),
        expected=st.sampled_from(("current", "other", None)),
    )
    def fire(self, trigger: str, role: str, reason: str | None, expected: str | None) -> None:
        state = self.project().state
        expected_state = {"current": state, "other": "dla" if state != "dla" else "visites"}
        before = len(queries.history(self.project_id))
        fired = self.attempt(
            lambda: services.fire_transition(
                self.project_id, trigger, user_id=self.users[role], reason=reason,
                expected_state=expected_state.get(expected or ""),
            )
        )  # fmt: skip
        records = queries.history(self.project_id)
        assert len(records) == before + fired
        event(f"{trigger} from {state}: {'fired' if fired else 'refused'}")
        if fired:
            assert records[-1].trigger == trigger and records[-1].from_state == state
            assert expected != "other"

    @rule(trigger=st.sampled_from(FORWARD), complete=st.sampled_from((True, True, False)))
    def move(self, trigger: str, complete: bool) -> None:
        """Fire as the coordinator, with a reason, as the page does (often moves the project)."""
        project = self.project()
        state, coordinator = project.state, self.users["coordinator"]

        def work() -> None:
            if complete and state in VALID:
                self._complete(state)
            services.fire_transition(
                self.project_id, trigger, user_id=coordinator, reason="Motif", expected_state=state
            )

        fired = self.attempt(work)
        event(f"{trigger} from {state}: {'fired' if fired else 'refused'}")
        assert fired or self.project().state == state  # only a transition moves the project

    @rule(
        case=st.sampled_from(FORM_CASES),
        role=st.sampled_from(ROLES),
        submit=st.booleans(),
        base=st.sampled_from(("current", "stale", "none")),
    )
    def save(self, case: tuple[str, dict[str, Any]], role: str, submit: bool, base: str) -> None:
        stage, data = case
        current = len(queries.form_history(self.project_id, stage))
        base_revision = {"current": current, "stale": current - 1, "none": None}[base]
        saved = self.attempt(
            lambda: services.save_form(
                self.project_id, stage, self.fill(data), user_id=self.users[role],
                submit=submit, base_revision=base_revision,
            )
        )  # fmt: skip
        if saved:
            assert base_revision == current or (base_revision is None and current == 0)

    @rule(
        stage=st.sampled_from(STAGES),
        index=st.integers(min_value=0, max_value=5),
        done=st.booleans(),
        role=st.sampled_from(ROLES),
    )
    def tick(self, stage: str, index: int, done: bool, role: str) -> None:
        items = self._items(stage) + ["not_an_item"]
        item = items[index % len(items)]
        ticked = self.attempt(
            lambda: services.set_checklist_item(
                self.project_id, stage, item, done=done, user_id=self.users[role]
            )
        )
        if ticked:
            assert role == "coordinator" and item != "not_an_item"

    @rule(operation=st.sampled_from(("save", "tick", "fire", "complete")))
    def fail_before_commit(self, operation: str) -> None:
        coordinator = self.users["coordinator"]
        stage = self.project().state
        work = {
            "save": lambda: services.save_form(
                self.project_id, "premier_contact", self.fill(VALID["premier_contact"]),
                user_id=coordinator, submit=True, base_revision=None,
            ),
            "tick": lambda: services.set_checklist_item(
                self.project_id, "premier_contact", "welcome_interview", done=True,
                user_id=coordinator,
            ),
            "fire": lambda: services.fire_transition(
                self.project_id, "pause", user_id=coordinator
            ),
            "complete": lambda: self._complete(stage),
        }  # fmt: skip
        assert not self.attempt(work[operation], fail=True)

    @precondition(lambda self: self.project().state in VALID)
    @rule()
    def complete_current_stage(self) -> None:
        """Submit the current stage's form and tick its checklist, so advancing can happen."""
        self.attempt(lambda: self._complete(self.project().state))

    def _items(self, stage: str) -> list[str]:
        if stage not in {s.key for s in self.workflow.stages}:
            return []
        return [i.key for i in self.workflow.stage(stage).checklist or []]

    def _complete(self, stage: str) -> None:
        coordinator = self.users["coordinator"]
        if stage in VALID:
            services.save_form(
                self.project_id, stage, self.fill(VALID[stage]), user_id=coordinator,
                submit=True, base_revision=len(queries.form_history(self.project_id, stage)),
            )  # fmt: skip
        for item in self._items(stage):
            services.set_checklist_item(
                self.project_id, stage, item, done=True, user_id=coordinator
            )

    # Invariants --------------------------------------------------------------------------

    @invariant()
    def state_is_a_stage_of_the_workflow(self) -> None:
        assert self.project().state in {s.key for s in self.workflow.stages}

    @invariant()
    def the_trail_replays_to_the_state(self) -> None:
        project = self.project()
        records = queries.history(self.project_id)
        assert services.replay(records) == project.state
        assert records[-1].return_state == project.return_state
        db.session.rollback()

    @invariant()
    def the_days_in_each_state_replay_the_trail(self) -> None:
        assert_stage_entries_replay_the_records()

    @invariant()
    def form_revisions_have_no_gap(self) -> None:
        rows = db.session.execute(
            sa.select(FormSubmission.stage, FormSubmission.revision).where(
                FormSubmission.project_id == self.project_id
            )
        ).all()
        by_stage: dict[str, list[int]] = {}
        for stage, revision in rows:
            by_stage.setdefault(stage, []).append(revision)
        for revisions in by_stage.values():
            assert sorted(revisions) == list(range(1, len(revisions) + 1))
        db.session.rollback()


@pytest.mark.slow
def test_random_use_cases_keep_the_invariants(app: Flask) -> None:
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        ProjectServices,
        settings=settings(max_examples=25, stateful_step_count=25, deadline=None),
    )
