"""The network's life in a real browser: activities, a member's yearly report, the report.

The tests follow the people: the coordinator records activities, a member ressourcerie fills in
its observatory report for last year, then the coordinator reads the steering committee report
of last year, whose figures count both (plus activities recorded beforehand through the
services, some outside the period or only planned, which must not count). Each test also runs
alone: the report test enters through the forms whatever the first two have not entered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from accompagnement.activities import services as activities
from accompagnement.activities.models import Activity
from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from tests.browser.conftest import check_accessibility, in_live_network, login
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LAST_YEAR = dt.date.today().year - 1
COORDINATOR = "coordination@example.org"
MEMBER_ACCOUNT = "trouvaille@example.org"

# Last year's report of La Trouvaille: 80 t collected (by mode and by flow), 72 t going out.
REPORT = {
    "collected_dropoff": "40",
    "collected_dechetterie": "25,5",
    "collected_home": "14,5",
    "flow_furniture": "30",
    "flow_electrical": "10",
    "flow_textile": "20",
    "flow_books": "5",
    "flow_tableware": "10",
    "flow_toys": "3",
    "flow_bikes": "2",
    "out_sale": "30",
    "out_donation": "12",
    "out_recycling": "20",
    "out_disposal": "10",
    "turnover": "48000",
    "sales_count": "6000",
}


def day(month: int, day_of_month: int, year: int = LAST_YEAR) -> dt.date:
    return dt.date(year, month, day_of_month)


# What the coordinator types into the activity form.
ANIMATION = {
    "type": "animation",
    "title": "Atelier réparation de vélos",
    "date": day(3, 14),
    "members": ["trouvaille", "grenier"],
    "participants": "25",
}
VISIT = {
    "type": "visite",
    "title": "Visite des élus du Haut-Limousin",
    "date": day(5, 20),
    "members": ["trouvaille"],
    "visitor": "collectivite",
    "partner": "Communauté de communes du Haut-Limousin",
}


@pytest.fixture(scope="module")
def network(live_app: Any) -> dict[str, Any]:
    """Two member ressourceries, a coordinator, La Trouvaille's own account, older activities."""
    with in_live_network(live_app):
        trouvaille = Member(name="La Trouvaille", joined_on=day(2, 1))
        grenier = Member(name="Le Grenier creusois", joined_on=day(6, 1, LAST_YEAR - 3))
        db.session.add_all([trouvaille, grenier])
        db.session.flush()
        coordinator = create_user(
            COORDINATOR, name="Camille Martin", role="coordinator", password=PASSWORD
        )
        create_user(
            MEMBER_ACCOUNT,
            name="Nadia Trouvaille",
            role="member",
            member_id=trouvaille.id,
            password=PASSWORD,
        )
        for values in (
            # Counted in last year's report: one more animation, a visit by project holders.
            activities.ActivityInput(
                date=day(9, 10),
                type="animation",
                title="Stand au marché de Guéret",
                member_ids=[grenier.id],
                participants=40,
            ),
            activities.ActivityInput(
                date=day(10, 2),
                type="visite",
                title="Visite de porteurs de projet",
                member_ids=[grenier.id],
                visitor="porteur_projet",
            ),
            # Not counted: a visit the year before, and a training only planned.
            activities.ActivityInput(
                date=day(4, 3, LAST_YEAR - 1),
                type="visite",
                title="Visite de la communauté de communes",
                member_ids=[trouvaille.id],
                visitor="collectivite",
            ),
            activities.ActivityInput(
                date=day(11, 5),
                type="formation",
                title="Formation à l'accueil",
                member_ids=[trouvaille.id],
                status="planned",
            ),
        ):
            activities.create_activity(values, user_id=coordinator.id)
        db.session.commit()
        return {"trouvaille": trouvaille.id, "grenier": grenier.id}


def fill_activity(page: Any, network: dict[str, Any], activity: dict[str, Any]) -> None:
    """Open the activity form and fill it in (the visitor only when the activity names one)."""
    page.goto("/activities/new")
    page.locator("#type").select_option(activity["type"])
    page.locator("#title").fill(activity["title"])
    page.locator("#date").fill(activity["date"].isoformat())
    for member in activity["members"]:
        page.locator(f"input[name=members][value='{network[member]}']").check()
    if activity.get("visitor"):
        page.locator("#visitor").select_option(activity["visitor"])
    for key in ("partner", "participants"):
        if activity.get(key):
            page.locator(f"#{key}").fill(activity[key])


def save_activity(page: Any) -> None:
    page.locator("form.activity-form button[type=submit]").click()
    page.wait_for_load_state()


def fill_report(page: Any, values: dict[str, str]) -> None:
    for key, value in values.items():
        page.locator(f"#{key}").fill(value)


def save_report(page: Any) -> None:
    page.locator("form.observatory-form button[type=submit]").click()
    page.wait_for_load_state()


def enter_missing_data(new_page: Any, live_app: Any, network: dict[str, Any]) -> None:
    """Enter through the forms what the first two tests enter, unless it is already there.

    Under `pytest -n 2` the tests of this module may run in different processes, each with a
    database of its own: the report test then enters the same figures itself.
    """
    with in_live_network(live_app):
        titles = set(db.session.scalars(select(Activity.title)))
        reported = db.session.scalars(select(ObservatoryReport.id)).first() is not None
    missing = [a for a in (ANIMATION, VISIT) if a["title"] not in titles]
    if missing:
        page = new_page()
        login(page, COORDINATOR)
        for activity in missing:
            fill_activity(page, network, activity)
            save_activity(page)
            assert page.locator(".flash").inner_text() == "Activité ajoutée."
    if not reported:
        page = new_page()
        login(page, MEMBER_ACCOUNT)
        page.goto(f"/observatory/members/{network['trouvaille']}/{LAST_YEAR}")
        fill_report(page, REPORT)
        save_report(page)
        assert page.locator("section[aria-labelledby=h-derived]").count() == 1


def described_by(page: Any, selector: str) -> str:
    """Return the text of the elements a control or fieldset points to with aria-describedby."""
    ids = (page.locator(selector).get_attribute("aria-describedby") or "").split()
    assert ids, f"{selector} has no aria-describedby"
    text = " ".join(page.locator(f"[id='{i}']").inner_text() for i in ids)
    return " ".join(text.split())  # French puts no-break spaces before units and colons


def table_rows(page: Any, section: str) -> dict[str, list[str]]:
    """Read a table of the report: {row header: [cells]}."""
    rows = page.locator(f"section[aria-labelledby='report-{section}'] tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))"
    )
    return {row[0]: row[1:] for row in rows}


def test_coordinator_records_an_animation_then_a_visit(new_page, live_app, network):
    page = new_page()
    login(page, COORDINATOR)

    page.goto("/activities/new")
    assert page.locator("h1").inner_text() == "Enregistrer une activité"
    check_accessibility(page)
    fill_activity(page, network, ANIMATION)
    save_activity(page)
    assert "/activities/new" not in page.url
    assert page.locator(".flash").inner_text() == "Activité ajoutée."

    page.locator("main a", has_text="Retour au journal des activités").click()
    page.wait_for_load_state()
    assert page.url.endswith("/activities/")
    # The log opens on the last twelve months: last year's March is one click away.
    assert "les douze derniers mois" in page.locator("main").inner_text()
    page.locator("main a", has_text="Tout le journal").click()
    page.wait_for_load_state()
    assert page.url.endswith("/activities/?start=")
    row = page.locator("section[aria-labelledby=log-title] tbody tr", has_text=ANIMATION["title"])
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "Animation"
    assert cells[3] == "La Trouvaille, Le Grenier creusois"
    assert cells[4] == "25"
    check_accessibility(page)

    # A visit without saying who visited: refused, explained next to the field.
    fill_activity(page, network, {**VISIT, "visitor": None})
    save_activity(page)
    assert page.locator("[role=alert]").count() == 1
    assert page.locator("#visitor[aria-invalid=true]").count() == 1
    assert "Indiquez qui a effectué la visite" in described_by(page, "#visitor")
    assert page.locator("#title").input_value() == VISIT["title"]  # nothing typed is lost
    assert page.locator(f"input[name=members][value='{network['trouvaille']}']").is_checked()
    check_accessibility(page)

    page.locator("#visitor").select_option(VISIT["visitor"])
    save_activity(page)
    assert page.locator(".flash").inner_text() == "Activité ajoutée."
    assert "Collectivité" in page.locator("main dl").inner_text()

    page.goto("/activities/?start=")
    row = page.locator("section[aria-labelledby=log-title] tbody tr", has_text=VISIT["title"])
    assert row.locator(".badge").inner_text() == "Collectivité"
    assert row.locator("td").nth(3).inner_text() == "La Trouvaille"
    with in_live_network(live_app):
        visit = db.session.scalars(select(Activity).where(Activity.title == VISIT["title"])).one()
        assert (visit.type, visit.visitor, visit.status) == ("visite", "collectivite", "done")
        assert visit.partner == VISIT["partner"]


def test_member_fills_in_its_observatory_report(new_page, live_app, network):
    page = new_page()
    login(page, MEMBER_ACCOUNT)
    page.goto("/observatory/")
    form_url = f"/observatory/members/{network['trouvaille']}/{LAST_YEAR}"
    page.locator(f"main a[href='{form_url}']").click()
    page.wait_for_load_state()
    assert page.url.endswith(form_url)
    assert "Aucun bilan pour cette année" in page.locator("main").inner_text()
    check_accessibility(page)

    # A figure that is not a number is refused next to its box.
    fill_report(page, {**REPORT, "turnover": "quarante-huit mille"})
    save_report(page)
    assert page.locator("#turnover[aria-invalid=true]").count() == 1
    assert "Saisissez un nombre" in described_by(page, "#turnover")
    assert page.locator("#collected_dechetterie").input_value() == "25,5"

    # More tonnes going out than collected: explained on the group of outgoing figures.
    fill_report(page, {**REPORT, "out_disposal": "100"})
    save_report(page)
    outgoing = "fieldset:has(#out_disposal)"
    assert page.locator(outgoing).get_attribute("class") == "card has-error"
    message = described_by(page, outgoing)
    assert "Les tonnes sortantes (162 t) dépassent les tonnes collectées (80 t)" in message
    assert page.locator("#out_disposal").input_value() == "100"
    check_accessibility(page)
    with in_live_network(live_app):
        assert db.session.scalars(select(ObservatoryReport)).all() == []

    fill_report(page, REPORT)
    save_report(page)
    assert page.url.endswith(form_url)
    assert page.locator("[role=alert]").count() == 0
    saved = f"Le bilan {LAST_YEAR} de La Trouvaille est enregistré."
    assert page.locator(".flash").inner_text() == saved
    derived = page.locator("section[aria-labelledby=h-derived]")
    assert derived.locator("h2").inner_text() == "Calculé à partir du bilan enregistré"
    figures = dict(
        derived.locator("tr").evaluate_all(
            "rows => rows.map(r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()])"
        )
    )
    assert figures["Total collecté"] == "80 t"
    assert figures["Taux de réemploi (vente et don / collecté)"] == "52,5 %"
    assert page.locator("#collected_dechetterie").input_value() == "25,5"
    check_accessibility(page)


def test_coordinator_reads_the_steering_committee_report(new_page, live_app, network):
    enter_missing_data(new_page, live_app, network)
    page = new_page()
    login(page, COORDINATOR)
    start, end = day(1, 1).isoformat(), day(12, 31).isoformat()
    response = page.goto(f"/reports/?from={start}&to={end}")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Rapport d'activité au comité de pilotage"
    assert page.locator("#period-from").input_value() == start
    check_accessibility(page)

    activities_table = table_rows(page, "activities")
    assert activities_table["Animations"] == ["2", "2"]
    assert activities_table["Visites de ressourceries"] == ["2", "2"]
    assert activities_table["Formations"] == ["0", "0"]
    assert activities_table["Réunions de coordination"] == ["0", "0"]
    assert table_rows(page, "visits") == {
        "Par des collectivités territoriales": ["1"],
        "Par des porteurs de projet": ["1"],
        "Par d'autres visiteurs": ["0"],
        "Total des visites": ["2"],
    }
    assert table_rows(page, "members")["Ressourceries ayant rejoint le réseau"] == ["1"]
    observatory = table_rows(page, "observatory")
    assert observatory["Rapports annuels reçus"] == ["1"]
    assert observatory["Tonnes collectées"] == ["80"]
    assert observatory["Taux de réemploi (%)"] == ["52,5"]

    link = page.locator("main a[href*='report.pdf']")
    assert link.inner_text() == "Télécharger en PDF"
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.body()[:5] == b"%PDF-"
