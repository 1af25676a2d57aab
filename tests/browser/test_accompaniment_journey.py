"""Accompaniment day to day in a real browser, from the public door to the report.

On an empty instance with a real local SMTP server: a person describes a project on the public
page and confirms the address from the e-mail caught by the server; the coordinator accepts the
request, which starts the project and invites the person; the holder chooses a password, finds
the task of the stage's template and ticks it; the coordinator records a meeting of 90 minutes;
the report and the partner page show the accompaniment time.
"""

from __future__ import annotations

import datetime as dt
import mailbox
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from accompagnement.auth.services import create_user
from accompagnement.extensions import db
from accompagnement.projects.models import Project
from tests.browser.conftest import in_live_network, login
from tests.fixtures import PASSWORD
from tests.fixtures.mail import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOLDER_PASSWORD = "trois mots sans rapport pour commencer"
LINK = re.compile(r"http://127\.0\.0\.1:\d+(/\S+)")


@pytest.fixture(scope="module")
def live_app(empty_instance_app: Flask) -> Flask:
    """The first day of a network (flask db upgrade, one coordinator), plus a partner."""
    with in_live_network(empty_instance_app):
        create_user("ademe@example.org", name="Paula Partenaire", role="partner",
                    password=PASSWORD)  # fmt: skip
        db.session.commit()
    empty_instance_app.config["DOOR_MIN_SECONDS"] = 0  # the browser types faster than a person
    return empty_instance_app


class Maildir:
    """The messages a real SMTP server (aiosmtpd, in its own process) stored in a Maildir."""

    def __init__(self, app: Flask, path: Path) -> None:
        self.app, self.path = app, path

    @property
    def messages(self) -> list[EmailMessage]:
        """Send the outbox (what cron's `flask notify send` does), then read what arrived."""
        with self.app.app_context():
            result = self.app.test_cli_runner().invoke(args=["notify", "send"])
        assert result.exit_code == 0, result.output
        if not self.path.exists():
            return []
        box = mailbox.Maildir(self.path, factory=None, create=False)
        return [
            BytesParser(policy=default).parsebytes(box.get_bytes(key)) for key in box.iterkeys()
        ]


@pytest.fixture(scope="module")
def inbox(live_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Maildir]:
    """A real SMTP server in a process of its own, storing what it receives in a Maildir."""
    path = tmp_path_factory.mktemp("smtp") / "inbox"
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(path)],
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "the SMTP server did not start"
            time.sleep(0.2)
    live_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    yield Maildir(live_app, path)
    live_app.config["SMTP_HOST"] = ""
    server.terminate()
    server.wait(timeout=10)


def _link_to(inbox: Maildir, recipient: str, part: str) -> str:
    """The path of the link containing `part` in an e-mail to `recipient` (one of each here)."""
    for message in inbox.messages:
        if message["To"] == recipient:
            for path in LINK.findall(message.get_content()):
                if part in path:
                    return str(path)
    raise AssertionError(f"no {part} link mailed to {recipient}")


def describe_the_project(person: Any) -> None:
    person.goto("/auth/login")
    person.get_by_role("link", name="Vous portez un projet de ressourcerie").click()
    person.locator("#project_name").fill("Ressourcerie du plateau")
    person.locator("#contact_name").fill("Léa Dubois")
    person.locator("#email").fill("lea@example.org")
    person.locator("#commune").fill("23096")
    person.locator("#holder_type").select_option("association")
    person.locator("#description").fill("Nous sommes cinq à Guéret.\nNous cherchons un local.")
    person.get_by_role("button", name="Envoyer ma demande").click()
    person.wait_for_load_state()
    assert "Consultez vos e-mails" in person.locator("main").inner_text()


def test_from_the_public_door_to_the_accompaniment_time_in_the_report(
    inbox: Maildir, live_app: Flask, new_page: Any
) -> None:
    person = new_page()
    describe_the_project(person)
    person.goto(_link_to(inbox, "lea@example.org", "/door/confirm/"))
    person.get_by_role("button", name="Confirmer et envoyer ma demande").click()
    person.wait_for_load_state()
    assert "Demande reçue" in person.locator("main").inner_text()

    coordinator = new_page()
    login(coordinator, "coord@example.org")
    coordinator.goto("/door/requests")
    coordinator.get_by_role("link", name="Ressourcerie du plateau").click()
    coordinator.get_by_role("button", name="Accepter et inviter").click()
    coordinator.wait_for_load_state()
    with in_live_network(live_app):
        project = db.session.query(Project).one()
        project_id, holders = project.id, [h.email for h in project.holders]
    assert holders == ["lea@example.org"]

    holder = new_page()
    holder.goto(_link_to(inbox, "lea@example.org", "/auth/password/"))
    holder.locator("#password").fill(HOLDER_PASSWORD)
    holder.locator("#confirm").fill(HOLDER_PASSWORD)
    holder.get_by_role("button", name="Enregistrer mon mot de passe").click()
    holder.wait_for_load_state()
    holder.goto("/tasks/")
    row = holder.locator("tr", has_text="Envoyer la fiche projet complétée")
    row.get_by_role("button", name="Réalisé").click()
    holder.wait_for_load_state()
    done = holder.locator("tr", has_text="Envoyer la fiche projet complétée")
    assert done.count() == 0  # the list shows open tasks by default: it left the list
    with in_live_network(live_app):
        from accompagnement.tasks.models import Task

        ticked = db.session.query(Task).filter_by(project_id=project_id).all()
        assert [t.title for t in ticked if t.done_at] == ["Envoyer la fiche projet complétée"]

    yesterday = dt.date.today() - dt.timedelta(days=1)
    coordinator.goto(f"/projects/{project_id}/exchanges")
    coordinator.locator("#day").fill(yesterday.isoformat())
    coordinator.locator("#time").fill("14:00")
    coordinator.locator("#kind").select_option("meeting")
    coordinator.locator("#minutes").fill("90")
    coordinator.locator("#participants").fill("Léa Dubois")
    coordinator.get_by_role("button", name="Enregistrer l'échange").click()
    coordinator.wait_for_load_state()
    assert "1 h 30" in coordinator.locator("main").inner_text()

    year = yesterday.year
    coordinator.goto(f"/reports/?from={year}-01-01&to={year}-12-31")
    time_section = coordinator.locator("section", has_text="Temps d'accompagnement").last
    assert "1,5" in time_section.inner_text()

    partner = new_page()
    login(partner, "ademe@example.org")
    partner.goto("/partners/")
    text = partner.locator("main").inner_text()
    assert "1,5 heures" in text and "Léa Dubois" not in text
