"""`flask notify`: each person's daily digest says what is new since their last one, lists what
is coming, and is not written when nothing is new; it leaves through the outbox (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa
from sqlalchemy import select

from accompagnement.activities.services import today
from accompagnement.extensions import db
from accompagnement.notifications import services as notices
from accompagnement.notifications.models import DigestItem
from accompagnement.outbox.models import PENDING, OutboxMessage
from accompagnement.projects import services
from accompagnement.reminders.models import NotificationLog

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences
BASE = "https://reseau.example.org"


def logged() -> int:
    return db.session.scalar(select(sa.func.count(NotificationLog.id))) or 0


def digests() -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.kind == "notify.digest")
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def a_day_passes() -> None:
    """Date the digests written so far the day before: today's run is a new day's."""
    for log in db.session.scalars(select(NotificationLog)):
        log.day -= dt.timedelta(days=1)
    db.session.commit()


def english(user):
    user.locale = "en"
    db.session.commit()
    return user


def test_a_coordinators_digest_says_what_is_new_and_what_is_coming_once(
    runner, mailbox, coordinator, holder, make_project, make_activity, ago
):
    english(coordinator)
    project = make_project("Ressourcerie des Monts", holders=[holder])
    services.add_comment(project.id, "Nous avons trouvé un local", user_id=holder.id)
    db.session.commit()
    make_project("Ressourcerie de Guéret", at=ago(91) - dt.timedelta(hours=2))  # late today
    make_project("Ressourcerie d'Ussel", at=ago(100))  # late for a while: not news
    make_activity(today() + dt.timedelta(days=5), title="Journée technique à Tulle",
                  status="planned")  # fmt: skip

    first = runner.invoke(env=ENGLISH, args=["notify"])
    again = runner.invoke(env=ENGLISH, args=["notify"])

    assert first.exit_code == 0, first.output
    assert "1 digests written" in first.output and "0 digests written" in again.output
    [message] = mailbox.messages
    assert message["To"] == coordinator.email
    assert message["Subject"] == "What is new: 2"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    assert f"{holder.name} commented on Ressourcerie des Monts" in body
    assert f"{BASE}/projects/{project.id}#comments" in body
    assert "Ressourcerie de Guéret, First contact: 91 days in the stage (usually 90)" in body
    assert "Ressourcerie d'Ussel" not in body
    assert f"Late projects in all: 2. See them all: {BASE}/reminders/" in body
    assert "Coming:" in body and "Journée technique à Tulle" in body
    assert db.session.scalars(select(DigestItem)).all() == []  # told once

    a_day_passes()
    unchanged = runner.invoke(env=ENGLISH, args=["notify"])
    assert "0 digests written" in unchanged.output  # nothing new: no digest

    services.add_comment(project.id, "Le bail est signé", user_id=holder.id)
    db.session.commit()
    runner.invoke(env=ENGLISH, args=["notify"])
    latest = mailbox.messages[-1].get_content()
    assert len(mailbox.messages) == 2
    assert latest.count("commented on Ressourcerie des Monts") == 1
    assert "Guéret" not in latest


def test_a_holder_who_chose_the_digest_finds_stage_changes_in_it_in_their_language(
    runner, mailbox, coordinator, holder, make_project
):
    notices.set_settings(holder.id, {"stage_changed": "digest"})
    project = make_project("Ressourcerie des Monts", holders=[holder])
    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()

    result = runner.invoke(env=ENGLISH, args=["notify"])

    assert result.exit_code == 0, result.output
    [message] = mailbox.messages
    assert message["To"] == holder.email
    body = message.get_content()
    assert "Du nouveau depuis votre dernier récapitulatif" in body
    assert "Ressourcerie des Monts est passé à l'étape En pause (par Camille Coordination)" in body
    assert f"{BASE}/notifications/email/" in body


def test_nothing_new_means_no_digest_even_with_things_coming(
    runner, mailbox, coordinator, make_project, make_activity, ago
):
    make_project(at=ago(100))
    make_activity(today() + dt.timedelta(days=3), status="planned")

    result = runner.invoke(env=ENGLISH, args=["notify"])

    assert result.exit_code == 0
    assert "0 digests written" in result.output
    assert digests() == [] and logged() == 0


def test_a_coordinator_who_chose_never_gets_no_late_projects(
    runner, mailbox, coordinator, make_project, ago
):
    notices.set_settings(coordinator.id, {"late_projects": "never"})
    make_project(at=ago(91) - dt.timedelta(hours=2))

    runner.invoke(env=ENGLISH, args=["notify"])

    assert digests() == []


def test_without_smtp_the_command_says_so_and_succeeds(app, runner, coordinator, make_project, ago):
    assert not app.config["SMTP_HOST"]
    make_project(at=ago(91) - dt.timedelta(hours=2))
    result = runner.invoke(env=ENGLISH, args=["notify"])
    assert result.exit_code == 0
    assert "no e-mail sent" in result.output
    assert logged() == 0


class RefusingOnce:
    """An SMTP server answering 451 to the first message, then accepting."""

    def __init__(self) -> None:
        self.refused = False
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if not self.refused:
            self.refused = True
            return "451 4.3.0 Try again later"
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


def test_a_digest_refused_by_the_mail_server_is_retried_not_lost_nor_rewritten(
    runner, start_smtp, coordinator, make_project, ago
):
    server = start_smtp(RefusingOnce())
    make_project(at=ago(91) - dt.timedelta(hours=2))

    runner.invoke(env=ENGLISH, args=["notify"])
    refused = runner.invoke(env=ENGLISH, args=["notify", "send"])
    again = runner.invoke(env=ENGLISH, args=["notify"])
    [digest] = digests()
    assert (digest.status, digest.attempts) == (PENDING, 1)
    digest.next_attempt_at = digest.created_at  # its back-off has passed
    db.session.commit()
    retried = runner.invoke(env=ENGLISH, args=["notify", "send"])

    assert refused.exit_code == 1 and "1 to retry" in refused.output
    assert "0 digests written" in again.output
    assert retried.exit_code == 0 and "1 sent" in retried.output
    assert server.received == [coordinator.email]


def test_two_runs_at_once_write_each_digest_once(
    app, mailbox, coordinator, make_user, make_project, ago
):
    make_user("coordinator", email="dominique@example.org")
    make_project(at=ago(91) - dt.timedelta(hours=2))
    start = threading.Barrier(2)
    outputs: list[str] = []

    def run() -> None:
        with app.app_context():  # as another process would: a session of its own
            start.wait()
            result = app.test_cli_runner().invoke(env=ENGLISH, args=["notify"])
            outputs.append(result.output)
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(m.recipient for m in digests()) == sorted(
        [coordinator.email, "dominique@example.org"]
    )
    assert logged() == 2
    assert len(outputs) == 2  # both runs ended
