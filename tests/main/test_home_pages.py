"""The home page answers "what needs me now" for each role, with translated labels and links."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from accompagnement.activities.models import Activity
from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects import services
from accompagnement.projects.models import Project


def _move(project: Project, state: str, days_ago: int = 0) -> None:
    row = db.session.get(Project, project.id)
    row.state, row.state_changed_at = state, utcnow() - timedelta(days=days_ago)
    db.session.commit()


def _submit(project: Project, stage: str, data: dict[str, Any], user: Any) -> None:
    current = services._current_revision(project.id, stage)
    services.save_form(project.id, stage, data, user_id=user.id, submit=True, base_revision=current)
    db.session.commit()


FIRST_CONTACT = {"project_name": "Les Monts", "holder_type": "association"}


def _network(
    make_project: Callable[..., Any], coordinator: Any, n: int, tag: str = ""
) -> list[Project]:
    """n projects: each has its first contact form submitted, and is late in its stage."""
    projects = []
    for i in range(n):
        project = make_project(f"Projet {tag}{i:02d}")
        _submit(project, "premier_contact", FIRST_CONTACT, coordinator)
        _move(project, "premier_contact", days_ago=400)
        projects.append(project)
    today = dt.date.today()
    for i in range(n):
        db.session.add(Member(name=f"Membre {tag}{i:02d}", departement_code="87"))
        db.session.add(
            Activity(
                date=today + timedelta(days=i + 1),
                type="formation",
                title=f"Formation {tag}{i}",
                status="planned",
            )
        )
    db.session.commit()
    return projects


def test_the_coordinator_sees_what_needs_them_with_links(
    client: Any, auth: Any, coordinator: Any, make_project: Callable[..., Any]
) -> None:
    project = _network(make_project, coordinator, 1)[0]
    auth.login(coordinator)

    page = client.get("/").get_data(as_text=True)

    review = page[page.index('id="to-review"') : page.index('id="late"')]
    assert f'href="/projects/{project.id}"' in review and "First contact" in review
    assert "premier_contact" not in review.replace(f"/projects/{project.id}", "")
    late = page[page.index('id="late"') : page.index('id="stale"')]
    assert "Projet 00" in late
    activities = page[page.index('id="activities"') : page.index('id="reports"')]
    assert "Formation 0" in activities and "Training" in activities
    reports = page[page.index('id="reports"') :]
    member = db.session.query(Member).one()
    assert f"/observatory/members/{member.id}/{dt.date.today().year - 1}" in reports


def test_the_coordinators_lists_are_bounded_and_link_to_all(
    client: Any, auth: Any, coordinator: Any, make_project: Callable[..., Any]
) -> None:
    _network(make_project, coordinator, 7)
    auth.login(coordinator)
    page = client.get("/").get_data(as_text=True)
    review = page[page.index('id="to-review"') : page.index('id="late"')]
    assert review.count("<li>") == 5 and "See all (7)" in review
    assert 'href="/to-review"' in review
    every = client.get("/to-review").get_data(as_text=True)
    assert len(re.findall(r'href="/projects/\d+"', every)) == 7 and "First contact" in every
    # review, late, activities, reports (the forms were saved today: no project is stale)
    assert page.count("See all (7)") == 4


def test_the_coordinators_home_runs_a_constant_number_of_queries(
    client: Any, auth: Any, coordinator: Any, make_project: Callable[..., Any], count_queries: Any
) -> None:
    auth.login(coordinator)
    _network(make_project, coordinator, 2)
    with count_queries() as few:
        assert client.get("/").status_code == 200
    _network(make_project, coordinator, 6, tag="b")
    with count_queries() as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few)


def test_the_coordinator_sees_no_report_of_the_year_once_every_member_reported(
    client: Any, auth: Any, coordinator: Any
) -> None:
    member = Member(name="Ressourcerie de Tulle", departement_code="19")
    db.session.add(member)
    db.session.flush()
    db.session.add(ObservatoryReport(member_id=member.id, year=dt.date.today().year - 1))
    db.session.commit()
    auth.login(coordinator)
    page = client.get("/").get_data(as_text=True)
    assert "Every member has reported." in page


def test_a_holder_of_one_project_lands_on_it(
    client: Any, auth: Any, make_user: Callable[..., Any], make_project: Callable[..., Any]
) -> None:
    holder = make_user("holder")
    project = make_project("Mon projet", holders=[holder])
    auth.login(holder)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/projects/{project.id}"


def test_a_holder_of_several_projects_sees_stage_missing_and_the_form_to_fill(
    client: Any,
    auth: Any,
    make_user: Callable[..., Any],
    make_project: Callable[..., Any],
    count_queries: Any,
) -> None:
    holder = make_user("holder")
    first = make_project("Premier projet", holders=[holder])
    make_project("Second projet", holders=[holder])
    make_project("Projet d'un autre")
    auth.login(holder)

    with count_queries() as two:
        page = client.get("/").get_data(as_text=True)

    assert "Premier projet" in page and "Second projet" in page
    assert "Projet d&#39;un autre" not in page
    assert "First contact" in page and "premier_contact</" not in page
    assert "The form of the stage “First contact” has not been submitted." in page
    assert f'href="/projects/{first.id}/forms/premier_contact/edit"' in page
    make_project("Troisième projet", holders=[holder])
    with count_queries() as three:
        client.get("/")
    assert len(three) == len(two)


def test_a_holder_without_project_is_told_so(
    client: Any, auth: Any, make_user: Callable[..., Any]
) -> None:
    auth.login(make_user("holder"))
    assert "You have no project yet." in client.get("/").get_data(as_text=True)


def test_a_partner_sees_the_pipeline_summary_with_stage_labels(
    client: Any, auth: Any, make_user: Callable[..., Any], make_project: Callable[..., Any]
) -> None:
    make_project("Recyclerie de Guéret", commune="23096")
    auth.login(make_user("partner"))
    page = client.get("/").get_data(as_text=True)
    assert "Projects by current stage" in page
    assert "First contact" in page
    assert "/partners/" in page


def test_a_member_sees_the_state_of_their_report(
    client: Any, auth: Any, make_user: Callable[..., Any]
) -> None:
    member = Member(name="Ressourcerie de Felletin", departement_code="23")
    db.session.add(member)
    db.session.commit()
    account = make_user("member", member_id=member.id)
    year = dt.date.today().year - 1
    auth.login(account)

    page = client.get("/").get_data(as_text=True)
    assert f"The report of Ressourcerie de Felletin for {year} is not started." in page
    assert f'href="/observatory/members/{member.id}/{year}"' in page

    db.session.add(ObservatoryReport(member_id=member.id, year=year, volunteers=4, headcount=3))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "is saved: 2 of" in page


def test_a_member_account_without_ressourcerie_is_told_whom_to_ask(
    client: Any, auth: Any, make_user: Callable[..., Any]
) -> None:
    auth.login(make_user("member"))
    assert "ask the network coordinator" in client.get("/").get_data(as_text=True)


def test_the_partners_home_runs_a_constant_number_of_queries(
    client: Any,
    auth: Any,
    make_user: Callable[..., Any],
    make_project: Callable[..., Any],
    count_queries: Any,
) -> None:
    auth.login(make_user("partner", departements=["23"]))
    for i in range(2):
        make_project(f"Creuse {i}", commune="23096", holders=[])
    with count_queries() as few:
        assert client.get("/").status_code == 200
    for i in range(2, 14):
        make_project(f"Creuse {i}", commune="23008", holders=[])
    with count_queries() as many:
        page = client.get("/").get_data(as_text=True)
    assert len(many) == len(few)
    assert "See all (14)" in page  # a bounded list, then a link to the whole overview


def test_the_members_home_runs_a_few_queries(
    client: Any, auth: Any, make_user: Callable[..., Any], count_queries: Any
) -> None:
    member = Member(name="Ressourcerie d'Aubusson", departement_code="23")
    db.session.add(member)
    db.session.commit()
    auth.login(make_user("member", member_id=member.id))
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert len(statements) <= 6
