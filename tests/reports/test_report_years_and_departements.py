"""The report over several years (stocks never added up), cut by département, plan vs done,
what the pathway produced, and a number of queries that does not grow with the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import event

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.network.services import OrganisationInput
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.projects.models import FormSubmission, Project, TransitionRecord
from accompagnement.reports.document import layout
from accompagnement.reports.exports import render_csv, render_html, render_pdf
from accompagnement.reports.services import build_report
from accompagnement.workflows.services import CHECKED

TWO_YEARS = {"from": "2023-01-01", "to": "2024-12-31", "lang": "fr"}
START, END = dt.date(2023, 1, 1), dt.date(2024, 12, 31)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def figure(text: str, value: str) -> bool:
    """Say whether a figure appears as a whole number (not inside a longer one)."""
    return re.search(rf"(?<![\d,.]){re.escape(value)}(?![\d])", text) is not None


def report(member: Member, year: int, **values: Any) -> None:
    db.session.add(ObservatoryReport(member_id=member.id, year=year, **values))
    db.session.commit()


@pytest.fixture
def project_with_history() -> Callable[..., Project]:
    """Return a factory of projects in a commune with a history [(YYYY-MM-DD, state)]."""

    def make(name: str, commune: str | None, steps: list[tuple[str, str]],
             workflow: str = "creation-ressourcerie") -> Project:  # fmt: skip
        project = Project(name=name, workflow_name=workflow, workflow_version=1,
                          state=steps[-1][1], commune_insee=commune)  # fmt: skip
        db.session.add(project)
        db.session.flush()
        previous = None
        for on, state in steps:
            db.session.add(TransitionRecord(
                project_id=project.id, workflow_version=1, trigger="create" if previous is None
                else f"to_{state}", from_state=previous, to_state=state,
                at=dt.datetime.fromisoformat(f"{on} 10:00"),
            ))  # fmt: skip
            previous = state
        db.session.commit()
        return project

    return make


# --- Stocks and flows over two years ---------------------------------------------------------


@pytest.fixture
def two_years(make_member: Callable[..., Member], make_network: Callable[..., Any]) -> Member:
    make_network(departements=("19", "23", "87"))
    member = make_member("Ressourcerie de Guéret", departement_code="23")
    report(member, 2023, headcount=72, fte=Decimal("50.36"), volunteers=30,
           collected_dropoff=Decimal("100.0"), volunteer_hours=1000)  # fmt: skip
    report(member, 2024, headcount=89, fte=Decimal("69.65"), volunteers=41,
           collected_dropoff=Decimal("150.0"), volunteer_hours=1200)  # fmt: skip
    return member


def test_stocks_are_given_per_year_and_flows_also_added_up(two_years: Member) -> None:
    obs = build_report(START, END)["observatory"]
    assert obs["years"] == [2023, 2024]
    first, second = obs["by_year"]["2023"]["figures"], obs["by_year"]["2024"]["figures"]
    assert (first["headcount"], second["headcount"]) == (72, 89)
    assert (first["fte"], second["fte"]) == (50.36, 69.65)
    assert (first["volunteers"], second["volunteers"]) == (30, 41)
    assert obs["over_time"]["headcount"] == "stock" and obs["over_time"]["fte"] == "stock"
    assert obs["over_time"]["volunteer_hours"] == "flow"
    for stock in ("headcount", "fte", "volunteers", "contracts_permanent", "women_percent"):
        assert stock not in obs["totals"]
    assert obs["totals"]["volunteer_hours"] == 2200  # a flow adds up
    assert obs["collected_t"] == 250.0
    assert obs["women_percent"] is None  # a stock has no value for two years together


def test_headcount_72_then_89_is_never_shown_as_161_in_any_format(
    two_years: Member, client: FlaskClient, auth: Any, coordinator: Any
) -> None:
    data = build_report(START, END)
    doc = layout(data, "fr")
    observatory = next(s for s in doc.sections if s.key == "observatory")
    assert observatory.headers[1:] == ["2023", "2024", "Total de la période"]
    headcount = next(row for row in observatory.rows if row[0] == "Salarié·es")
    assert headcount[1:] == [72, 89, None]  # no total for a stock
    hours = next(row for row in observatory.rows if row[0] == "Heures de bénévolat")
    assert hours[1:] == [1000, 1200, 2200]  # a flow's total

    auth.login(coordinator)
    html = client.get("/reports/", query_string=TWO_YEARS).get_data(as_text=True)
    sheet = render_csv(doc)
    pdf = pdf_text(render_pdf(doc))
    standalone = render_html(doc)
    for text in (json.dumps(data), html, sheet, pdf, standalone):
        assert figure(text, "72") and figure(text, "89")
        for total in ("161", "120,01", "120.01", "71"):  # headcount, FTE, volunteers summed
            assert not figure(text, total), total
    rows = list(csv.reader(io.StringIO(sheet), delimiter=";"))
    assert [r[1:5] for r in rows if r[1] == "Salarié·es"] == [["Salarié·es", "72", "89", ""]]


def test_the_page_draws_charts_with_their_numbers_in_tables(
    two_years: Member, client: FlaskClient, auth: Any, coordinator: Any
) -> None:
    auth.login(coordinator)
    html = client.get("/reports/", query_string=TWO_YEARS).get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert 'id="chart-observatory"' in html and 'role="img"' in html
    assert '<title id="chart-observatory-title">Tonnes collectées</title>' in html
    assert "2023: 100; 2024: 150" in html  # the chart's description lists its figures
    assert "style=" not in html


def test_the_pdf_draws_the_same_charts(two_years: Member) -> None:
    doc = layout(build_report(START, END), "fr")
    charted = [s for s in doc.sections if s.chart is not None and s.chart.bars]
    assert {s.key for s in charted} >= {"observatory", "projects-creation-ressourcerie"}
    plain = render_pdf(layout({**build_report(START, END)}, "fr"))
    for section in doc.sections:
        section.chart = None
    assert len(plain) > len(render_pdf(doc))  # the charts are drawn, not only the tables
    text = pdf_text(plain)
    assert "Tonnes collectées" in text and "150" in text


# --- Plan vs done -----------------------------------------------------------------------------


def test_the_yearly_plan_is_shown_next_to_what_was_done_each_year(
    make_network: Callable[..., Any], make_member: Callable[..., Member],
    make_activity: Callable[..., Any],
) -> None:  # fmt: skip
    make_network(plan={"reunion_coordination": 2, "journee_technique": 2, "visite": 1})
    member = make_member("Ressourcerie A", departement_code="87")
    make_activity("2023-03-01", "reunion_coordination")
    make_activity("2024-03-01", "reunion_coordination")
    make_activity("2024-09-01", "reunion_coordination")
    make_activity("2024-10-01", "reunion_coordination", status="planned")  # not done
    make_activity("2024-05-01", "journee_technique")
    make_activity("2024-06-01", "visite", members=[member], visitor="collectivite")
    make_activity("2025-01-10", "journee_technique")  # after the period
    plan = build_report(dt.date(2023, 7, 1), END)["plan"]
    assert plan["per_year"] == {"reunion_coordination": 2, "journee_technique": 2, "visite": 1}
    assert plan["years"] == [
        {"year": 2023, "from": "2023-07-01", "to": "2023-12-31",
         "done": {"reunion_coordination": 0, "journee_technique": 0, "visite": 0}},
        {"year": 2024, "from": "2024-01-01", "to": "2024-12-31",
         "done": {"reunion_coordination": 2, "journee_technique": 1, "visite": 1}},
    ]  # fmt: skip
    doc = layout(build_report(dt.date(2023, 7, 1), END), "fr")
    section = next(s for s in doc.sections if s.key == "plan")
    assert section.headers == [
        "Type d'activité", "Prévu par an",
        "Réalisé en 2023 (1 juillet 2023 au 31 décembre 2023)", "Réalisé en 2024",
    ]  # fmt: skip
    assert ["Réunions de coordination", 2, 0, 2] in section.rows
    assert section.chart is not None  # the same numbers as the table, the plan apart
    assert [(b.label, b.value, b.alt) for b in section.chart.bars[:3]] == [
        ("Réunions de coordination : prévu par an", 2, True),
        ("Réunions de coordination : réalisé en 2023", 0, False),
        ("Réunions de coordination : réalisé en 2024", 2, False),
    ]
    assert "Prévu par an" in pdf_text(render_pdf(doc))


def test_without_a_plan_the_report_says_so(make_network: Callable[..., Any]) -> None:
    make_network()
    doc = layout(build_report(START, END), "fr")
    section = next(s for s in doc.sections if s.key == "plan")
    assert section.rows == [] and "Aucun plan annuel" in section.note


# --- Per workflow, per département, and a département-limited partner ----------------------

SENTINELS = ("SENTINELLE", "Corrèze", "Haute-Vienne", "4321", "9876")


@pytest.fixture
def three_departements(
    make_network: Callable[..., Any],
    make_member: Callable[..., Member],
    make_activity: Callable[..., Any],
    project_with_history: Callable[..., Project],
    save_visits: Callable[..., Any],
) -> dict[str, Any]:
    """Projects, members, activities and figures in 19, 23 and 87; those of 19 and 87 carry
    sentinel names and figures."""
    make_network(departements=("19", "23", "87"), organisations=[
        "ADEME", OrganisationInput("Conseil départemental SENTINELLE 19", departement="19"),
        OrganisationInput("Conseil départemental de la Creuse", departement="23"),
    ])  # fmt: skip
    gueret = make_member("Ressourcerie de Guéret", departement_code="23",
                         joined_on=dt.date(2024, 2, 1))  # fmt: skip
    tulle = make_member("SENTINELLE Ressourcerie de Tulle", departement_code="19",
                        joined_on=dt.date(2024, 3, 1))  # fmt: skip
    limoges = make_member("SENTINELLE Recyclerie de Limoges", departement_code="87",
                          joined_on=dt.date(2024, 4, 1))  # fmt: skip
    make_activity("2024-02-10", "journee_rencontre", members=[gueret, tulle])
    make_activity("2024-03-10", "journee_rencontre", members=[tulle])
    make_activity("2024-04-10", "animation", members=[limoges])
    make_activity("2024-05-10", "visite", members=[limoges], visitor="collectivite")
    make_activity("2024-06-10", "visite", members=[gueret], visitor="autre")
    make_activity("2024-07-10", "colloque", partner="ADEME")  # no member: no département
    for member, tonnes, headcount in ((gueret, "12.5", 7), (tulle, "9876.5", 4321),
                                      (limoges, "9876.0", 4321)):  # fmt: skip
        report(member, 2024, collected_dropoff=Decimal(tonnes), headcount=headcount)
    felletin = project_with_history("Projet de Felletin", "23096", [
        ("2023-05-01", "premier_contact"), ("2024-03-01", "visites"),
    ])  # fmt: skip
    save_visits(felletin, [(tulle, "2024-04-04"), (gueret, "2024-05-05")])
    project_with_history("Projet d'Aubusson", "23008", [
        ("2022-01-01", "premier_contact"), ("2023-01-01", "abandonne"),
    ])  # fmt: skip
    project_with_history(
        "Adhésion de la recyclerie d'Aubusson",
        "23008",
        [("2024-06-01", "candidature")],
        workflow="adhesion-reseau",
    )
    project_with_history("SENTINELLE Projet de Brive", "19031", [("2024-01-05", "premier_contact")])
    project_with_history("SENTINELLE Projet de Limoges", "87085", [
        ("2022-01-01", "premier_contact"), ("2024-01-05", "visites"),
    ])  # fmt: skip
    return {"gueret": gueret, "tulle": tulle, "limoges": limoges}


def _creuse_report(data: dict[str, Any]) -> None:
    """Check the figures of the Creuse (23) alone."""
    assert data["departements"] == [{"code": "23", "name": "Creuse"}]
    assert data["new_members"] == 1
    assert data["activities"]["journee_rencontre"] == {"count": 1, "ressourceries": 1}
    assert data["activities"]["animation"]["count"] == 0
    assert data["activities"]["colloque"]["count"] == 0  # no member: in no département
    assert data["visits"] == {"total": 2, "by_visitor": {"collectivite": 0,
                              "porteur_projet": 1, "autre": 1}}  # fmt: skip
    assert data["observatory"]["reports"] == 1 and data["observatory"]["collected_t"] == 12.5
    assert data["observatory"]["by_year"]["2024"]["figures"]["headcount"] == 7
    projects = data["projects"]
    assert [d["code"] for d in projects["by_departement"]] == ["23"]
    assert projects["by_departement"][0]["count"] == 3
    assert projects["by_departement"][0]["accompanied"] == 2  # not the one abandoned in 2023
    assert data["plan"] is None  # the network's plan is not a département's
    assert data["partners"] == ["ADEME", "Conseil départemental de la Creuse"]


def test_projects_are_given_per_workflow_with_their_labels(
    three_departements: dict[str, Any],
) -> None:
    projects = build_report(dt.date(2024, 1, 1), END, lang="en")["projects"]
    creation = projects["by_workflow"]["creation-ressourcerie"]
    adhesion = projects["by_workflow"]["adhesion-reseau"]
    assert creation["label"] != adhesion["label"]
    stages = {s["key"]: s for s in creation["stages"]}
    assert stages["visites"]["count"] == 2
    assert stages["visites"]["label"] == "Visits of ressourceries"
    assert stages["abandonne"] == {"key": "abandonne", "label": stages["abandonne"]["label"],
                                   "count": 1, "accompanied": 0}  # fmt: skip
    assert "candidature" not in stages
    assert [s["key"] for s in adhesion["stages"]][0] == "candidature"
    assert {s["key"]: s["count"] for s in adhesion["stages"]}["candidature"] == 1
    assert projects["accompanied"] == 4  # all but the project abandoned before the period
    assert projects["by_stage"]["premier_contact"] == 1  # kept: all workflows by stage key


def test_the_report_can_be_cut_by_departement(three_departements: dict[str, Any]) -> None:
    _creuse_report(build_report(dt.date(2024, 1, 1), END, ["23"]))
    whole = build_report(dt.date(2024, 1, 1), END)
    assert whole["new_members"] == 3 and whole["observatory"]["reports"] == 3
    assert [d["code"] for d in whole["projects"]["by_departement"]] == ["19", "23", "87"]


def test_a_partner_limited_to_a_departement_sees_only_its_figures_and_names(
    three_departements: dict[str, Any], client: FlaskClient, auth: Any,
    make_user: Callable[..., Any],
) -> None:  # fmt: skip
    auth.login(make_user("partner", departements=["23"]))
    period = {"from": "2024-01-01", "to": "2024-12-31", "lang": "fr"}
    data = client.get("/reports/report.json", query_string=period)
    assert data.status_code == 200
    _creuse_report(data.json)
    answers = [data.get_data(as_text=True)]
    for url in ("/reports/", "/reports/report.csv"):
        answers.append(client.get(url, query_string=period).get_data(as_text=True))
    answers.append(pdf_text(client.get("/reports/report.pdf", query_string=period).data))
    assert "Creuse" in answers[1] and "Creuse" in answers[3]  # the page and the PDF name it
    for answer in answers:
        for sentinel in SENTINELS:
            assert sentinel not in answer, sentinel
    for other in ("19", "87"):
        for url in ("/reports/", "/reports/report.json", "/reports/report.pdf"):
            asked = client.get(url, query_string={**period, "departement": other})
            assert asked.status_code == 404, (url, other)


def test_a_coordinator_cuts_the_report_by_departement_on_the_web_and_the_command_line(
    three_departements: dict[str, Any], client: FlaskClient, auth: Any, coordinator: Any,
    runner: Any,
) -> None:  # fmt: skip
    auth.login(coordinator)
    period = {"from": "2024-01-01", "to": "2024-12-31"}
    data = client.get("/reports/report.json", query_string={**period, "departement": "23"})
    _creuse_report(data.json)
    page = client.get("/reports/", query_string={**period, "departement": "99"})
    assert page.status_code == 400 and "Choisissez un département du réseau" in page.get_data(
        as_text=True
    )
    out = runner.invoke(args=["report", "--from", "2024-01-01", "--to", "2024-12-31",
                              "--format", "json", "--departement", "23"])  # fmt: skip
    assert out.exit_code == 0
    _creuse_report(json.loads(out.output))
    bad = runner.invoke(args=["report", "--from", "2024-01-01", "--to", "2024-12-31",
                              "--departement", "99"])  # fmt: skip
    assert bad.exit_code == 2 and "--departement" in bad.output


# --- What the pathway produced -----------------------------------------------------------------


def test_openings_come_with_their_jobs_and_first_years_tonnes(
    make_network: Callable[..., Any], make_member: Callable[..., Member],
    project_with_history: Callable[..., Project],
) -> None:  # fmt: skip
    make_network()
    project = project_with_history("Projet de Bourganeuf", "23030", [
        ("2022-01-01", "premier_contact"), ("2024-03-01", "ouverture"), ("2024-05-02", "ouverte"),
    ])  # fmt: skip
    db.session.add(FormSubmission(project_id=project.id, stage="ouverture", revision=1,
                                  status="submitted", data={"fte_at_opening": "3.5"}))  # fmt: skip
    member = make_member("Ressourcerie de Bourganeuf", departement_code="23", project_id=project.id)
    report(member, 2024, fte=Decimal("3.5"), headcount=4, collected_dropoff=Decimal("40.0"))
    report(member, 2025, fte=Decimal("5"), headcount=6, flow_books=Decimal("80.5"))
    report(member, 2028, fte=Decimal("9"))  # not one of its first three years
    data = build_report(START, END)
    assert data["openings"] == [{
        "project": "Projet de Bourganeuf", "member": "Ressourcerie de Bourganeuf",
        "departement": "23", "opened_on": "2024-05-02", "fte_at_opening": 3.5,
        "first_years": [
            {"year": 2024, "fte": 3.5, "headcount": 4, "collected_t": 40.0},
            {"year": 2025, "fte": 5.0, "headcount": 6, "collected_t": 80.5},
        ],
    }]  # fmt: skip
    assert data["projects"]["opened"] == 1 and data["accompaniment_time"]["minutes"] == 0
    doc = layout(data, "fr")
    section = next(s for s in doc.sections if s.key == "openings")
    assert section.rows == [["Ressourcerie de Bourganeuf", "23", "2 mai 2024", 3.5,
                             "2024 : 3,5 · 2025 : 5", "2024 : 40 · 2025 : 80,5"]]  # fmt: skip
    assert any(s.key == "time" for s in doc.sections)  # the time has its own section now


# --- Queries ----------------------------------------------------------------------------------


@pytest.fixture
def count_report() -> Iterator[Callable[..., int]]:
    def count(start: dt.date, end: dt.date, departements: list[str] | None = None) -> int:
        # Each report is a request (or command) of its own: the workflow registry then reads
        # the database's versions once (workflows.services.registry), in every measurement.
        g.pop(CHECKED, None)
        seen: list[str] = []

        def listen(*args: Any) -> None:
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            build_report(start, end, departements)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return len(seen)

    yield count


@pytest.mark.parametrize("departements", [None, ["23"]])
def test_the_queries_do_not_grow_with_years_projects_or_activities(
    departements: list[str] | None,
    count_report: Callable[..., int],
    make_network: Callable[..., Any],
    make_member: Callable[..., Member],
    make_activity: Callable[..., Any],
    project_with_history: Callable[..., Project],
) -> None:
    make_network(plan={"reunion_coordination": 2, "visite": 2})
    counter = iter(range(1000))

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            member = make_member(f"Ressourcerie {i}", departement_code="23",
                                 joined_on=dt.date(2020 + i % 5, 3, 1))  # fmt: skip
            project = project_with_history(f"Projet {i}", "23096", [
                (f"{2020 + i % 5}-01-02", "premier_contact"), (f"{2020 + i % 5}-06-02", "visites"),
                (f"{2020 + i % 5}-09-02", "ouverte"),
            ])  # fmt: skip
            member.project_id = project.id
            report(member, 2020 + i % 5, headcount=i, collected_dropoff=Decimal(i))
            make_activity(dt.date(2020 + i % 5, 5, 1 + i % 27), "reunion_coordination",
                          members=[member])  # fmt: skip
            make_activity(dt.date(2020 + i % 5, 6, 1 + i % 27), "visite", members=[member],
                          visitor="collectivite")  # fmt: skip

    grow(2)
    one_year = count_report(dt.date(2020, 1, 1), dt.date(2020, 12, 31), departements)
    grow(10)
    assert count_report(dt.date(2020, 1, 1), dt.date(2024, 12, 31), departements) == one_year
