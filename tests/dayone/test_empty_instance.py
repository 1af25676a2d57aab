"""Day one of a real network, from an empty database to the funders' figures.

The database is made by the real Alembic migrations (`flask db upgrade` in a process of its
own, as an operator runs it); every other step is the real command, run through the Flask CLI
runner, with the files a network would bring: `;`-separated spreadsheets saved as CSV, dates
written 04/05/2013, one file in Windows-1252. The history spans 2013 to 2016: one project
opened, one paused, one abandoned, two still on their way. The board, the page of a partner
limited to the Creuse and `flask report` for 2014 must then show that history, with the
figures worked out by hand below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient

from accompagnement.extensions import db
from tests.conftest import PASSWORD, flask_command

pytestmark = pytest.mark.slow

NETWORK = "Dynamique régionale des ressourceries du Limousin"
COORDINATOR = "coordination@reseau-limousin.example.org"
PARTNER = "creuse@departement23.example.org"

# Members: Windows-1252 (Excel's "CSV (séparateur: point-virgule)"), dates day first.
MEMBERS = """\
name;commune;insee;departement;joined;functions;kind
La Trouvaille;Guéret;23096;23;15/03/2012;collecte vente;ressourcerie
Le Grenier de Tulle;Tulle;19272;19;01/09/2013;collecte valorisation vente;ressourcerie
Recyclerie de l'Aurence;Limoges;87085;87;12/01/2014;collecte vente sensibilisation;ressourcerie
"""

# Activities: UTF-8 with a BOM, types written as the French labels, several ressourceries
# quoted in one cell. Three activities in 2014, one in 2013 (outside the report's period).
ACTIVITIES = """\
date;type;title;ressourceries;participants
12/03/2013;Réunion de coordination;Réunion de lancement;La Trouvaille;6
04/02/2014;Réunion de coordination;Réunion de février;"La Trouvaille;Le Grenier de Tulle";8
18/09/2014;Réunion de coordination;Réunion de rentrée;"La Trouvaille;Le Grenier de Tulle;Recyclerie de l'Aurence";9
05/06/2014;Journée technique;Réemploi du mobilier;"Le Grenier de Tulle;Recyclerie de l'Aurence";14
"""  # noqa: E501

# Projects with the day each stage was entered (columns as in docs/examples).
STAGES = ["premier_contact", "visites", "dla", "etude_faisabilite", "ouverture", "ouverte"]
PROJECT_HEADER = (
    "name;commune;workflow;stage;holder_name;holder_email;"
    + ";".join(f"date_{s}" for s in STAGES)
    + ";date_en_pause;reason_en_pause;date_abandonne;reason_abandonne"
)


@dataclass(frozen=True)
class Imported:
    """One line of the projects file: where it is today and the day it entered each stage."""

    name: str
    commune: str
    stage: str
    dates: tuple[str, ...]
    pause: tuple[str, str] = ("", "")
    abandon: tuple[str, str] = ("", "")
    holder: tuple[str, str] = ("", "")

    def line(self) -> str:
        dates = [*self.dates, *[""] * (len(STAGES) - len(self.dates))]
        cells = [self.name, self.commune, "creation-ressourcerie", self.stage, *self.holder]
        return ";".join([*cells, *dates, *self.pause, *self.abandon])


PROJECTS = [
    Imported("Ressourcerie de Guéret", "23096", "ouverte",
             ("04/05/2013", "03/06/2013", "01/09/2013", "15/01/2014", "01/03/2015", "01/10/2015"),
             holder=("Marie Dupont", "marie.dupont@example.org")),
    Imported("Ressourcerie d'Aubusson", "23008", "en_pause", ("10/02/2014", "01/04/2014"),
             pause=("30/11/2014", "Recherche d'un local"),
             holder=("Paul Martin|Léa Roux", "paul.martin@example.org|lea.roux@example.org")),
    Imported("Recyclerie de Bourganeuf", "23030", "abandonne", ("01/09/2013", "10/11/2013"),
             abandon=("01/06/2014", "Porteur parti")),
    Imported("Ressourcerie d'Ussel", "19275", "dla", ("01/10/2014", "01/05/2015", "01/09/2016"),
             holder=("Sam Petit", "sam.petit@example.org")),
    Imported("Atelier vélo de Bellac", "87011", "premier_contact", ("01/03/2016",)),
]  # fmt: skip

# The three Creuse projects (the partner's département) left each of these stages after:
#   premier_contact: 30 (Guéret), 50 (Aubusson), 70 (Bourganeuf) days  -> median 50
#   visites: 90 (Guéret), 243 (Aubusson), 203 (Bourganeuf) days        -> median 203
#   dla 136, etude_faisabilite 410, ouverture 214 days (Guéret alone).
CREUSE_MEDIAN_DAYS = {
    "Premier contact": "50 jours",
    "Visites de ressourceries": "203 jours",
    "DLA (Dispositif Local d'Accompagnement)": "136 jours",
    "Étude de faisabilité": "410 jours",
    "Ouverture": "214 jours",
}
# Reached by the Creuse projects: all three made their first contact and visits, one went on.
CREUSE_FUNNEL = {
    "Premier contact": "3",
    "Visites de ressourceries": "3",
    "DLA (Dispositif Local d'Accompagnement)": "1",
    "Étude de faisabilité": "1",
    "Ouverture": "1",
    "Ressourcerie ouverte": "1",
}
BOARD = {
    "Premier contact": ["Atelier vélo de Bellac"],
    "DLA (Dispositif Local d'Accompagnement)": ["Ressourcerie d'Ussel"],
    "Ressourcerie ouverte": ["Ressourcerie de Guéret"],
    "En pause": ["Ressourcerie d'Aubusson"],
    "Abandonné": ["Recyclerie de Bourganeuf"],
}
# On 31 December 2014: Guéret in its feasibility study, Aubusson paused, Bourganeuf abandoned,
# Ussel at its first contact, Bellac not started yet.
STAGES_END_2014 = {
    "premier_contact": 1, "visites": 0, "dla": 0, "etude_faisabilite": 1,
    "ouverture": 0, "ouverte": 0, "en_pause": 1, "abandonne": 1,
}  # fmt: skip


@dataclass
class Instance:
    """An app on a freshly migrated database, driven through its command line and pages."""

    app: Flask
    files: Path

    def flask(self, *args: str, input: str | None = None, lang: str | None = None) -> Result:
        """Run a flask command as an operator would, and check that it succeeded."""
        env = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": lang} if lang else None
        result = self.app.test_cli_runner().invoke(args=list(args), input=input, env=env)
        db.session.remove()  # the next command starts afresh, as a new process would
        assert result.exit_code == 0, f"flask {' '.join(args)}:\n{result.output}"
        return result

    def file(self, name: str, text: str, encoding: str = "utf-8") -> str:
        path = self.files / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    def count(self, table: str) -> int:
        return int(db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")))  # noqa: S608

    def signed_in(self, email: str) -> FlaskClient:
        client = self.app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, f"{email} could not sign in"
        return client


@pytest.fixture
def instance(fresh_app: Callable[..., tuple[Flask, str]], tmp_path: Path) -> Iterator[Instance]:
    """An empty database upgraded by `flask db upgrade`; the test runs in its app's context."""
    app, url = fresh_app("dayone", create=False)
    flask_command(url, "db", "upgrade")
    with app.app_context():
        yield Instance(app, tmp_path)


@pytest.fixture
def network(instance: Instance) -> Instance:
    """The network set up from the command line, with one coordinator and one partner."""
    instance.flask("network", "setup", "--name", NETWORK, "--short-name", "drrl",
                   "--departements", "19,23,87")  # fmt: skip
    instance.flask("network", "organisation", "ADEME Nouvelle-Aquitaine", "--kind", "ademe")
    instance.flask("network", "organisation", "Conseil départemental de la Creuse",
                   "--kind", "departement", "--departement", "23")  # fmt: skip
    instance.flask("network", "plan", "reunion_coordination=3", "journee_technique=1")
    instance.flask("users", "create", COORDINATOR, "--role", "coordinator",
                   "--name", "Camille Martin", input=PASSWORD + "\n")  # fmt: skip
    instance.flask("users", "create", PARTNER, "--role", "partner", "--name", "Claire Dumas",
                   "--departement", "23", "--organisation", "Conseil départemental de la Creuse",
                   input=PASSWORD + "\n")  # fmt: skip
    return instance


@pytest.fixture
def history(network: Instance) -> Instance:
    """The network's members, activities and projects imported from its spreadsheets."""
    network.flask("import", "members", network.file("adherents.csv", MEMBERS, "cp1252"))
    network.flask("import", "activities", network.file("activites.csv", ACTIVITIES, "utf-8-sig"))
    lines = "\n".join([PROJECT_HEADER, *(p.line() for p in PROJECTS)]) + "\n"
    network.flask("import", "projects", network.file("projets.csv", lines))
    return network


def test_db_upgrade_leaves_the_geography_loaded_and_territory_load_changes_nothing(
    instance: Instance,
) -> None:
    loaded = {t: instance.count(t) for t in ("regions", "departements", "epcis", "communes")}
    assert loaded["communes"] > 34_000 and loaded["departements"] == 109

    again = instance.flask("territory", "load", lang="en_US.UTF-8")

    assert "0 added, 0 updated" in again.output and "communes: 0 added, 0 updated" in again.output
    assert {t: instance.count(t) for t in loaded} == loaded


def test_the_imports_bring_the_whole_history_in_once(history: Instance) -> None:
    assert history.count("members") == 3
    assert history.count("activities") == 4
    assert history.count("projects") == len(PROJECTS)
    # 21 transitions: 20 dated stages, the first of each project being its creation.
    assert history.count("transition_records") == sum(
        len(p.dates) + bool(p.pause[0]) + bool(p.abandon[0]) for p in PROJECTS
    )

    again = history.flask("import", "projects", str(history.files / "projets.csv"))

    assert "0 " in again.output and history.count("projects") == len(PROJECTS)


def test_the_board_shows_each_project_at_its_stage(history: Instance) -> None:
    html = history.signed_in(COORDINATOR).get("/projects/").get_data(as_text=True)

    assert board_columns(html) == BOARD


def test_the_partner_sees_the_funnel_and_median_times_of_the_imported_history(
    history: Instance,
) -> None:
    html = history.signed_in(PARTNER).get("/partners/").get_data(as_text=True)

    funnel = tables(html)["Projets ayant atteint chaque étape"][1:]
    times = tables(html)["Durée médiane passée dans chaque étape"][1:]
    assert {stage: reached for stage, reached, _share in funnel} == CREUSE_FUNNEL
    assert {stage: days for stage, days, _measured, _still in times} == CREUSE_MEDIAN_DAYS
    assert "Ressourcerie d&#39;Ussel" not in html and "Bellac" not in html  # not in the Creuse
    assert "Marie Dupont" not in html  # no personal data


def test_the_report_for_2014_replays_the_imported_history(history: Instance) -> None:
    result = history.flask("report", "--from", "2014-01-01", "--to", "2014-12-31",
                           "--format", "json")  # fmt: skip
    report = json.loads(result.output)

    assert report["projects"]["by_stage"] == STAGES_END_2014
    # Entered in 2014: Guéret's study, Aubusson's visits and pause, Bourganeuf's abandonment.
    assert report["projects"]["transitions"] == 4 and report["projects"]["opened"] == 0
    assert report["activities"]["reunion_coordination"] == {"count": 2, "ressourceries": 3}
    assert report["activities"]["journee_technique"] == {"count": 1, "ressourceries": 2}
    assert report["new_members"] == 1  # the Recyclerie de l'Aurence joined in January 2014
    assert report["partners"] == ["ADEME Nouvelle-Aquitaine", "Conseil départemental de la Creuse"]
    assert report["network"]["name"] == NETWORK


BOARD_PARTS = re.compile(
    r'<h3 id="col-[^"]+">\s*<span>(?P<column>[^<]*)</span>'
    r"|<summary>(?P<folded>[^<]*) \(\d+\)</summary>"
    r'|<h4><a href="[^"]+">(?P<project>[^<]*)</a></h4>'
)


def board_columns(html: str) -> dict[str, list[str]]:
    """Return the projects of each non-empty column of the board (folded ones included)."""
    columns: dict[str, list[str]] = {}
    column = ""
    for part in BOARD_PARTS.finditer(html):
        if part["project"] is None:
            column = unescape(part["column"] or part["folded"])
        else:
            columns.setdefault(column, []).append(unescape(part["project"]))
    return columns


class _Tables(HTMLParser):
    """Collect the rows of every table, keyed by its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.cell: list[str] | None = None
        self.row: list[str] = []
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "tr":
            self.row = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
            self.tables[self.caption or ""] = []
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.caption is not None:
            self.tables[self.caption].append(self.row)

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption = (self.caption or "") + data.strip()
        elif self.cell is not None:
            self.cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables
