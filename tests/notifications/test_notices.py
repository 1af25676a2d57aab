"""Who is told of what: holders of stage changes and coordinators' comments, coordinators of
holders' submissions and comments; in each person's language, with a direct link, as they chose.
Requests only write to the outbox; the local SMTP server (aiosmtpd) receives what the sender sends.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.notifications import services as notices
from accompagnement.notifications.models import DigestItem
from accompagnement.outbox.models import PENDING
from accompagnement.projects import services
from tests.fixtures.accounts import login
from tests.notifications.conftest import BASE, queued

FIRST_CONTACT = {"project_name": "Ressourcerie des Monts", "holder_type": "association"}


def _english(user):
    """Make the person read English (the account page's language choice)."""
    user.locale = "en"
    db.session.commit()
    return user


def _pause(client, project_id: int) -> int:
    response = client.post(
        f"/projects/{project_id}/transition",
        data={"trigger": "pause", "expected_state": "premier_contact", "reason": ""},
    )
    return response.status_code


def test_holders_hear_of_a_stage_change_in_their_own_language_after_the_request(
    client, mailbox, coordinator, make_user, make_project
):
    hugh = _english(make_user("holder", name="Hugh", email="hugh@example.org"))
    helene = make_user("holder", name="Hélène", email="helene@example.org")
    project = make_project("Ressourcerie des Monts", holders=[hugh, helene])
    login(client, coordinator.email)

    assert _pause(client, project.id) == 302

    # The request wrote two messages to the outbox and sent nothing.
    assert [(m.recipient, m.status) for m in queued()] == [
        ("hugh@example.org", PENDING),
        ("helene@example.org", PENDING),
    ]
    assert mailbox.received == []
    messages = {m["To"]: m for m in mailbox.messages}  # the cron's `flask notify send`
    english, french = messages["hugh@example.org"], messages["helene@example.org"]
    assert english["Subject"] == "Ressourcerie des Monts: now at the stage On hold"
    assert french["Subject"] == "Ressourcerie des Monts\u00a0: désormais à l'étape En pause"
    english_body = english.get_content()
    assert "Hello Hugh," in english_body
    assert "by Camille Coordination" in english_body
    assert f"See it: {BASE}/projects/{project.id}" in english_body.splitlines()
    assert "Bonjour Hélène," in french.get_content()
    assert english["List-Unsubscribe"].startswith(f"<{BASE}/notifications/unsubscribe/")
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/notifications/email/" in english_body


def test_the_person_who_acts_is_not_told(mailbox, make_user, make_project):
    acting = make_user("holder", email="acting@example.org")
    other = make_user("holder", email="other@example.org")
    project = make_project(holders=[acting, other])

    services.fire_transition(project.id, "pause", user_id=acting.id)
    db.session.commit()

    assert [m.recipient for m in queued()] == ["other@example.org"]


def test_a_move_typed_in_from_the_past_is_history_not_news(
    mailbox, coordinator, holder, make_project
):
    project = make_project(holders=[holder])
    last_year = utcnow() - dt.timedelta(days=300)

    services.fire_transition(project.id, "pause", user_id=coordinator.id, at=last_year)
    db.session.commit()

    assert queued() == []


def test_a_coordinators_comment_is_mailed_to_the_holders_with_its_text(
    client, mailbox, coordinator, make_user, make_project
):
    hugh = _english(make_user("holder", name="Hugh", email="hugh@example.org"))
    project = make_project("Ressourcerie des Monts", holders=[hugh])
    login(client, coordinator.email)

    response = client.post(
        f"/projects/{project.id}/comments", data={"body": "Send us the statutes draft, please."}
    )

    assert response.status_code == 302
    [message] = mailbox.messages
    assert message["Subject"] == "Ressourcerie des Monts: a comment by Camille Coordination"
    body = message.get_content()
    assert "Send us the statutes draft, please." in body
    assert f"{BASE}/projects/{project.id}#comments" in body


def test_a_holders_comment_waits_for_the_coordinators_digest_by_default(
    mailbox, coordinator, holder, make_project
):
    project = make_project("Ressourcerie des Monts", holders=[holder])

    services.add_comment(project.id, "We found premises!", user_id=holder.id)
    db.session.commit()

    assert queued() == []
    [item] = db.session.scalars(select(DigestItem)).all()
    assert (item.user_id, item.kind, item.project_id) == (coordinator.id, "comment", project.id)
    assert item.params["actor"] == holder.name


def test_a_holder_submitting_a_form_tells_each_coordinator_at_once(
    mailbox, coordinator, make_user, holder, make_project
):
    other = _english(make_user("coordinator", email="dominique@example.org"))
    project = make_project("Ressourcerie des Monts", holders=[holder])

    services.save_form(project.id, "premier_contact", FIRST_CONTACT, user_id=holder.id,
                       submit=False, base_revision=None)  # fmt: skip
    db.session.commit()
    assert queued() == []  # a draft is no news
    services.save_form(project.id, "premier_contact", FIRST_CONTACT, user_id=holder.id,
                       submit=True, base_revision=1)  # fmt: skip
    db.session.commit()

    messages = {m["To"]: m for m in mailbox.messages}
    assert sorted(messages) == sorted([coordinator.email, other.email])
    english = messages[other.email]
    assert english["Subject"] == "Ressourcerie des Monts: form of the stage First contact submitted"
    assert f"{BASE}/projects/{project.id}/forms/premier_contact" in english.get_content()


def test_never_means_no_email_and_digest_means_a_line_for_the_digest(
    mailbox, coordinator, make_user, make_project
):
    quiet = make_user("holder", email="quiet@example.org")
    patient = make_user("holder", email="patient@example.org")
    notices.set_settings(quiet.id, {"stage_changed": "never"})
    notices.set_settings(patient.id, {"stage_changed": "digest"})
    project = make_project(holders=[quiet, patient])

    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()

    assert queued() == []
    [item] = db.session.scalars(select(DigestItem)).all()
    assert (item.user_id, item.kind) == (patient.id, "stage_changed")


def test_a_page_never_fails_when_the_mail_server_is_down_and_nothing_is_lost(
    client, app, smtp_config, start_smtp, coordinator, holder, make_project
):
    from tests.fixtures.mail import free_port

    project = make_project(holders=[holder])
    smtp_config(free_port())  # nobody listens there
    login(client, coordinator.email)

    assert _pause(client, project.id) == 302
    failed = app.test_cli_runner().invoke(args=["notify", "send"])
    assert failed.exit_code == 1
    [message] = queued()
    assert (message.status, message.attempts) == (PENDING, 1)

    mailbox = start_smtp()  # the server is back; the message is due after its back-off
    message.next_attempt_at = message.created_at
    db.session.commit()
    assert mailbox.recipients == [] and [m["To"] for m in mailbox.messages] == [holder.email]


def test_without_smtp_nothing_is_written(no_mail, coordinator, holder, make_project):
    project = make_project(holders=[holder])

    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()

    assert queued() == []
    assert db.session.scalars(select(DigestItem)).all() == []
