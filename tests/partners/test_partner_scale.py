"""The partner dashboard's figures come from the database and agree with the Python rules;
its project list is paginated, with the filters kept in the links."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.partners import queries, stats
from accompagnement.projects.models import Project, TransitionRecord

PATH = ("premier_contact", "visites", "dla", "etude_faisabilite", "ouverture")


def random_histories(history: Any, count: int, seed: int) -> None:
    """Projects with random paths: skipped stages, pauses and returns, various communes."""
    rng = random.Random(seed)
    for number in range(count):
        ago = rng.uniform(300, 900)
        steps = []
        for _ in range(rng.randrange(0, 6)):
            ago -= rng.uniform(1, 60)
            steps.append((rng.choice([*PATH, "en_pause"]), ago))
        history(f"Projet {number:03d}", steps, started=ago + 300, commune=rng.choice(
            ["87085", "23096", "19272", None]
        ))  # fmt: skip


def python_figures(keys: list[str]) -> tuple[dict[str, int], dict[str, stats.StageTime]]:
    """The funnel and the times computed in Python from every transition row (the reference)."""
    rows = db.session.execute(
        select(TransitionRecord.project_id, TransitionRecord.to_state, TransitionRecord.at)
        .join(Project, Project.id == TransitionRecord.project_id)
        .where(Project.workflow_name == "creation-ressourcerie")
        .order_by(TransitionRecord.project_id, TransitionRecord.id)
    )
    steps = [stats.Step(*row) for row in rows]
    times = stats.stage_times(steps, utcnow(), keys)
    return stats.reached(steps), {t.stage: t for t in times}


def test_the_funnel_and_median_times_agree_with_the_python_rules(history, coordinator):
    random_histories(history, 24, seed=5)  # an even number of projects in some stages

    board = queries.dashboard(coordinator)
    keys = [s.stage for s in board.funnel if s.stage != "ouverte"]
    reached, times = python_figures(keys)

    assert {s.stage: s.count for s in board.funnel} == {
        s.stage: reached.get(s.stage, 0) for s in board.funnel
    }
    assert {t.stage for _label, t in board.times} == set(times)
    for _label, measured in board.times:
        expected = times[measured.stage]
        assert (measured.projects, measured.ongoing) == (expected.projects, expected.ongoing)
        assert abs(measured.median_days - expected.median_days) < 0.01


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values(history, coordinator):
    history("A", [("visites", 10)], started=20)  # 10 days in first contact
    history("B", [("visites", 10)], started=40)  # 30 days

    times = {t.stage: t for _l, t in queries.dashboard(coordinator).times}

    assert round(times["premier_contact"].median_days) == 20


def test_counts_by_stage_and_departement_agree_with_a_count_in_python(history, coordinator):
    random_histories(history, 30, seed=8)
    projects = db.session.scalars(select(Project)).all()

    board = queries.dashboard(coordinator)

    by_stage = {s.stage: s.count for s in board.by_stage if s.count}
    assert by_stage == {
        state: sum(p.state == state for p in projects) for state in {p.state for p in projects}
    }
    assert board.total == len(projects)
    departements = {code: n for code, _name, n in board.by_departement}
    assert departements == {
        code: sum((p.commune_insee or "")[:2] == code for p in projects)
        for code in {(p.commune_insee or "")[:2] for p in projects}
    }


def test_the_project_list_is_paginated_with_the_filters_in_the_links(
    history, partner, client, auth
):
    for number in range(55):
        history(f"Projet {number:02d}", [], commune="23096" if number % 5 else "87085")
    auth.login(partner)

    first = client.get("/partners/?departement=23").get_data(as_text=True)
    rows = re.findall(r'<th scope="row" data-label="Project">([^<]+)</th>', first)
    assert len(rows) == 44  # 55 projects, 44 in Creuse: one page
    assert 'rel="next"' not in first

    everything = client.get("/partners/").get_data(as_text=True)
    assert len(re.findall(r'data-label="Project">', everything)) == 50
    following = re.search(r'<a rel="next" href="([^"]+)">', everything)
    assert following is not None
    second = client.get(following.group(1).replace("&amp;", "&")).get_data(as_text=True)
    rest = re.findall(r'data-label="Project">([^<]+)<', second)
    assert len(rest) == 5
    assert "55 projects." in second

    filtered = client.get("/partners/?workflow=creation-ressourcerie&departement=87&page=1")
    link = re.search(r'<a[^>]+href="([^"]+page=[^"]+)"', filtered.get_data(as_text=True))
    assert link is None  # 11 projects in Haute-Vienne: a single page, no links


def test_the_page_keeps_the_filters_when_paging(history, partner, client, auth):
    for number in range(60):
        history(f"Projet {number:02d}", [], commune="23096")
    auth.login(partner)

    html = client.get("/partners/?workflow=creation-ressourcerie&departement=23").get_data(
        as_text=True
    )

    following = re.search(r'<a rel="next" href="([^"]+)">', html)
    assert following is not None
    assert "departement=23" in following.group(1) and "workflow=creation-ressourcerie" in (
        following.group(1)
    )


def test_the_page_size_does_not_grow_with_the_number_of_projects(history, partner, client, auth):
    for number in range(60):
        history(f"Projet {number:03d}", [], commune="23096")
    auth.login(partner)
    small = len(client.get("/partners/").get_data())
    for number in range(60, 180):
        history(f"Projet {number:03d}", [], commune="23096")
    large = len(client.get("/partners/").get_data())
    assert large < small * 1.05


def test_the_days_of_the_list_are_the_days_in_the_current_stage(history, coordinator):
    history("Ancien", [("visites", 12)], started=100)
    now = utcnow()

    row = queries.dashboard(coordinator).projects[0]

    project = db.session.scalars(select(Project)).one()
    assert row.days_in_state == stats.days_between(project.state_changed_at, now) == 12
    assert project.state_changed_at < now - timedelta(days=11)
