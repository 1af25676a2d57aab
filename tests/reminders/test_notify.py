"""`flask notify` against a real SMTP server: one digest per coordinator and per day."""

from __future__ import annotations

import socket

import sqlalchemy as sa
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.reminders.models import NotificationLog

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences


def logged() -> int:
    return db.session.scalar(select(sa.func.count(NotificationLog.id))) or 0


def test_each_active_coordinator_gets_one_digest_a_day(
    runner, mailbox, coordinator, make_user, make_project, ago
):
    camille = make_user("coordinator", name="Camille", email="camille@example.org")
    dominique = make_user("coordinator", name="Dominique", email="dominique@example.org")
    make_user("coordinator", email="parti@example.org").active = False
    make_user("partner", email="financeur@example.org")
    db.session.commit()
    make_project("Ressourcerie de la Souterraine", at=ago(100))

    first = runner.invoke(env=ENGLISH, args=["notify"])
    second = runner.invoke(env=ENGLISH, args=["notify"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert sorted(mailbox.recipients) == sorted(
        ["camille@example.org", "dominique@example.org", coordinator.email]
    )
    message = next(m for m in mailbox.messages if m["To"] == "camille@example.org")
    body = message.get_payload(decode=True).decode()
    assert "Ressourcerie de la Souterraine" in body
    assert "Camille" in body
    assert "https://reseau.example.org/reminders/" in body
    assert logged() == 3
    assert f"user {camille.id}: already sent today" in second.output
    assert f"user {dominique.id}: already sent today" in second.output


def test_nothing_is_sent_when_there_is_nothing_to_remind(
    runner, mailbox, coordinator, make_project
):
    make_project("Projet tout neuf")
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 0
    assert mailbox.messages == []
    assert logged() == 0


def test_without_smtp_the_command_says_so_and_succeeds(app, runner, coordinator, make_project, ago):
    assert not app.config["SMTP_HOST"]
    make_project(at=ago(100))
    result = runner.invoke(env=ENGLISH, args=["notify"])
    assert result.exit_code == 0
    assert "no e-mail sent" in result.output
    assert logged() == 0


def test_a_failed_delivery_is_not_logged_and_is_retried(
    runner, smtp_config, start_smtp, coordinator, make_project, ago
):
    make_project(at=ago(100))
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        smtp_config(sock.getsockname()[1])
        failed = runner.invoke(env=ENGLISH, args=["notify"])
    assert failed.exit_code == 1
    assert "will retry" in failed.output
    assert logged() == 0

    mailbox = start_smtp()
    retried = runner.invoke(env=ENGLISH, args=["notify"])
    assert retried.exit_code == 0
    assert mailbox.recipients == [coordinator.email]
    assert logged() == 1
