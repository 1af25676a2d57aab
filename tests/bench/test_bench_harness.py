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


def test_the_app_serves_every_measured_page_to_the_bench_accounts(small: str) -> None:
    pages = run.pages(run.busiest_project(small))
    counted = count_queries(small, pages)  # signs in through the form; raises on a non-200
    assert set(counted) == {page.name for page in pages}
    assert all(count > 0 for count in counted.values())


def test_the_raw_baseline_serves_every_measured_page(
    small: str, monkeypatch: pytest.MonkeyPatch
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
            response = client.get(page.baseline)
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
            assert client.get(page.baseline).status_code == 302, page.baseline
    finally:
        baseline.close()
