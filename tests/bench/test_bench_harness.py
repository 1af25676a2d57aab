"""The `make bench` harness stays in step with the app: a small data set built as the bench
builds it replays, spreads over the workflow's stages and serves every measured page, in the app
and in the raw baseline. (The measures themselves are `make bench`, never timed tests.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import baseline, dataset, run
from bench.queries import count_queries, signed_in_client


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('bench')) / 'bench.db'}"
    dataset.build(url, seed=3, projects=120)
    yield url


def _select(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


def test_every_project_replays_its_transition_records_to_its_state(small: str) -> None:
    chains: dict[int, list[tuple[str | None, str]]] = {}
    for project_id, source, dest in _select(
        small, "SELECT project_id, from_state, to_state FROM transition_records ORDER BY id"
    ):
        chains.setdefault(project_id, []).append((source, dest))
    states = dict(_select(small, "SELECT id, state FROM projects"))
    assert len(states) == 120
    for project_id, state in states.items():
        current = None
        for source, dest in chains[project_id]:
            assert source == current, f"project {project_id}: a broken chain"
            current = dest
        assert current == state


def test_projects_spread_over_the_stages_read_from_the_workflow(small: str) -> None:
    stages = {state for (state,) in _select(small, "SELECT DISTINCT state FROM projects")}
    assert {"premier_contact", "visites", "dla", "en_pause", "abandonne"} <= stages


@pytest.fixture(scope="module")
def tokens(small: str) -> dict[str, str]:
    """The API token of each person an API page is measured for, made as the bench makes it."""
    return {dataset.COORDINATOR: run.make_token(small, dataset.COORDINATOR)}


def test_the_app_serves_every_measured_page_to_the_bench_accounts(
    small: str, tokens: dict[str, str]
) -> None:
    pages = run.pages(run.busiest_project(small))
    assert any(page.token for page in pages)
    # Signs in through the form (an API page sends its token); raises on a non-200.
    counted = count_queries(small, pages, tokens)
    assert set(counted) == {page.name for page in pages}
    assert all(count > 0 for count in counted.values())


def test_the_raw_baseline_serves_every_measured_page(
    small: str, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", small)
    # The baseline reads the session cookie the app signed at sign-in (same secret key).
    sessions = {
        who: signed_in_client(small, who).get_cookie("session").value
        for who in (dataset.COORDINATOR, dataset.PARTNER)
    }
    client = baseline.app.test_client()
    try:
        for page in run.pages(run.busiest_project(small)):
            client.set_cookie("session", sessions[page.who])
            headers = {"Authorization": f"Bearer {tokens[page.who]}"} if page.token else {}
            response = client.get(page.baseline, headers=headers)
            assert response.status_code == 200, page.baseline
            assert response.data
    finally:
        baseline.close()


def test_every_raw_baseline_page_sends_a_visitor_without_a_session_to_the_login_page(
    small: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", small)
    client = baseline.app.test_client()
    try:
        for page in run.pages(run.busiest_project(small)):
            expected = 401 if page.token else 302  # an API answers, it does not redirect
            assert client.get(page.baseline).status_code == expected, page.baseline
    finally:
        baseline.close()


def test_the_api_page_and_its_baseline_answer_the_same_projects(
    small: str, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", small)
    headers = {"Authorization": f"Bearer {tokens[dataset.COORDINATOR]}"}
    path = "/api/v1/projects?limit=100&page=2"  # 120 projects: the last 20
    mine = signed_in_client(small, dataset.COORDINATOR).get(path, headers=headers).get_json()
    client = baseline.app.test_client()
    try:
        raw = client.get(path, headers=headers).get_json()
    finally:
        baseline.close()
    assert raw["pagination"] == mine["pagination"] == {
        "page": 2, "limit": 100, "total": 120, "pages": 2
    }  # fmt: skip
    keys = ("id", "stage", "days_in_stage", "late", "departement")
    assert [[p[k] for k in keys] for p in raw["items"]] == [
        [p[k] for k in keys] for p in mine["items"]
    ]
