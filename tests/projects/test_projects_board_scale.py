"""The board stays bounded: counts for every project, 20 cards per stage, a paginated list."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from accompagnement.db import utcnow
from accompagnement.engine import Workflow
from accompagnement.extensions import db
from accompagnement.projects import queries
from accompagnement.projects.models import Project, project_holders
from accompagnement.workflows.services import latest_workflow, snapshot

USUAL = {"premier_contact": 90, "visites": 180, "dla": 240, "etude_faisabilite": 365}
COMMUNES = ("87085", "23096", "19272", None)


def insert_projects(count: int, *, seed: int = 1, holder: Any = None, start: int = 0) -> None:
    """Insert `count` projects of the creation pathway in bulk, in random stages and ages."""
    rng = random.Random(seed)
    snapshot(latest_workflow("creation-ressourcerie"))
    now = utcnow()
    rows = []
    for number in range(start, start + count):
        state = rng.choice([*USUAL, "ouverte", "en_pause"])
        changed = now - timedelta(days=rng.randrange(0, 500), hours=1)
        rows.append(
            {
                "name": f"Projet {number:04d}",
                "workflow_name": "creation-ressourcerie",
                "workflow_version": 1,
                "state": state,
                "return_state": "dla" if state == "en_pause" else None,
                "state_changed_at": changed,
                "commune_insee": rng.choice(COMMUNES),
                "created_at": changed,
                "updated_at": changed,
                "lock_version": 1,
            }
        )
    db.session.execute(insert(Project), rows)
    if holder is not None:
        ids = db.session.scalars(
            select(Project.id).where(Project.name.in_([r["name"] for r in rows]))
        )
        db.session.execute(
            insert(project_holders), [{"project_id": i, "user_id": holder.id} for i in ids]
        )
    db.session.commit()


def expected_counts() -> tuple[Counter[str], Counter[str]]:
    """Count, in Python, the projects of each stage and the late ones (the reference)."""
    now = utcnow()
    total: Counter[str] = Counter()
    late: Counter[str] = Counter()
    for project in db.session.scalars(select(Project)):
        total[project.state] += 1
        usual = USUAL.get(project.state)
        if usual is not None and (now - project.state_changed_at).days > usual:
            late[project.state] += 1
    return total, late


def column(html: str, key: str) -> str:
    start = html.index(f'id="col-creation-ressourcerie-{key}"')
    return html[start : html.index("</section>", start)]


def cards_in(html: str) -> list[str]:
    return re.findall(r'<article class="project-card[^"]*">\s*<h\d><a href="/projects/\d+">', html)


def board(client: Any, query: str = "") -> str:
    response = client.get(f"/projects/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def network(coordinator: Any, make_user: Any, client: Any, auth: Any) -> Any:
    holder = make_user("holder", name="Hortense Porteuse")
    insert_projects(150, holder=holder)
    auth.login(coordinator)
    return holder


def test_each_column_shows_the_count_of_all_its_projects_and_at_most_20_cards(client, network):
    html = board(client)
    total, late = expected_counts()
    for key in USUAL:
        part = column(html, key)
        assert f'<span class="badge">{total[key]}</span>' in part
        assert f"{late[key]} late" in part
        assert len(cards_in(part)) == min(total[key], 20)
        assert f"See the {total[key]} projects of this stage" in part
    assert f"{sum(total.values())} projects" in html


def test_the_cards_shown_are_the_most_urgent_late_first_then_oldest_in_stage(client, network):
    html = board(client)
    now = utcnow()
    part = column(html, "visites")
    shown = re.findall(r'<a href="/projects/(\d+)">', part)
    projects = db.session.scalars(select(Project).where(Project.state == "visites")).all()
    urgent = sorted(
        projects,
        key=lambda p: ((now - p.state_changed_at).days <= 180, p.state_changed_at, p.id),
    )
    assert [int(i) for i in shown] == [p.id for p in urgent[:20]]


def test_the_page_and_its_queries_do_not_grow_with_ten_times_more_projects(
    client, coordinator, make_user, auth, count_queries
):
    insert_projects(200, seed=2)
    auth.login(coordinator)
    board(client)  # warm up
    with count_queries() as few:
        small = board(client)
    insert_projects(1800, seed=3, start=200)
    with count_queries() as many:
        large = board(client)
    assert many.count == few.count
    assert len(cards_in(large)) <= 20 * 7
    assert len(large.encode()) < 1.1 * len(small.encode())
    assert len(large.encode()) < 300_000


def test_the_filters_apply_to_the_counts_and_the_cards(client, network):
    html = board(client, "?departement=23&q=Projet")
    in_creuse = db.session.scalars(
        select(Project).where(Project.commune_insee == "23096", Project.state == "dla")
    ).all()
    part = column(html, "dla")
    assert f'<span class="badge">{len(in_creuse)}</span>' in part
    assert len(cards_in(part)) == min(len(in_creuse), 20)


def test_the_stage_list_pages_through_every_project_of_a_stage(client, network):
    total, _late = expected_counts()
    shown: list[str] = []
    page = 1
    while True:
        response = client.get(
            f"/projects/list?workflow=creation-ressourcerie&stage=visites&page={page}"
        )
        html = response.get_data(as_text=True)
        names = re.findall(r'<h2><a href="/projects/\d+">([^<]+)</a></h2>', html)
        assert 0 < len(names) <= 50
        shown += names
        if 'rel="next"' not in html:
            break
        following = re.search(r'<a rel="next" href="([^"]+)">', html)
        assert following is not None and "stage=visites" in following.group(1)
        page += 1
    assert len(shown) == len(set(shown)) == total["visites"]
    assert f"of {total['visites']}" in html


def test_the_board_links_each_column_to_its_list_with_the_filters(client, network):
    html = board(client, "?departement=87")
    link = re.search(r'<p class="see-all"><a href="([^"]+)"', column(html, "premier_contact"))
    if link is None:  # fewer projects than cards: no link needed
        assert len(cards_in(column(html, "premier_contact"))) < 20
        return
    url = link.group(1).replace("&amp;", "&")
    assert url.startswith("/projects/list?")
    for part in ("departement=87", "workflow=creation-ressourcerie", "stage=premier_contact"):
        assert part in url


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("stage=dla&late=1", lambda p, late: p.state == "dla" and late),
        ("departement=19", lambda p, late: p.commune_insee == "19272"),
        ("status=paused", lambda p, late: p.state == "en_pause"),
        ("q=Projet%20001", lambda p, late: p.name.startswith("Projet 001")),
        ("late=1&status=active", lambda p, late: late),
    ],
)
def test_the_list_filters_stay_in_the_url_and_select_the_right_projects(
    client, network, query, keep
):
    now = utcnow()
    expected = {
        p.name
        for p in db.session.scalars(select(Project))
        if keep(
            p, USUAL.get(p.state) is not None and (now - p.state_changed_at).days > USUAL[p.state]
        )
    }
    html = client.get(f"/projects/list?{query}").get_data(as_text=True)
    names = set(re.findall(r'<h2><a href="/projects/\d+">([^<]+)</a></h2>', html))
    assert names <= expected
    assert len(names) == min(len(expected), 50)


def test_the_list_survives_bad_input(client, network):
    for query in ("page=-1", "page=999999", "page=abc", "late=maybe", "stage=%3Cscript%3E"):
        response = client.get(f"/projects/list?{query}")
        assert response.status_code == 200
        assert "<script>" not in response.get_data(as_text=True)


def test_the_list_is_for_coordinators_only(client, auth, network, make_user):
    auth.logout()
    auth.login(make_user("partner"))
    assert client.get("/projects/list").status_code in (403, 404)


def test_where_versions_give_a_stage_other_usual_days_the_late_ones_still_come_first() -> None:
    # The shipped version (visites: 180 usual days) and a version 9 where visites takes 30: a
    # project 60 days into visites on version 9 is late, those 150 and 100 days in are not.
    shipped = latest_workflow("creation-ressourcerie")
    stages = [
        s.model_copy(update={"usual_days": 30}) if s.key == "visites" else s
        for s in shipped.definition.stages
    ]
    shorter = Workflow(shipped.definition.model_copy(update={"version": 9, "stages": stages}))
    now = utcnow()
    rows = [
        (f"Projet {version}-{days}", version, days)
        for version, days in ((shipped.version, 150), (shipped.version, 100), (9, 60), (9, 10))
    ]
    db.session.execute(
        insert(Project),
        [
            {
                "name": name,
                "workflow_name": "creation-ressourcerie",
                "workflow_version": version,
                "state": "visites",
                "state_changed_at": now - timedelta(days=days, hours=1),
                "created_at": now,
                "updated_at": now,
                "lock_version": 1,
            }
            for name, version, days in rows
        ],
    )
    cards = queries.board_cards(
        queries.BoardFilter(),
        [shipped, shorter],
        now,
        2,
        [("creation-ressourcerie", "visites")],
    )
    # Late first (the 60-day one of version 9), then the oldest; the others are cut.
    assert [p.name for p in cards] == ["Projet 9-60", f"Projet {shipped.version}-150"]
