"""Each person chooses per kind: immediately, in the daily digest, or never; on the account, or
from the signed link of any e-mail without signing in; the one-click List-Unsubscribe (RFC 8058)
works without a CSRF token but only with a valid signature."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from accompagnement.auth.models import User
from accompagnement.extensions import db
from accompagnement.notifications import links
from accompagnement.notifications import services as notices
from accompagnement.projects import services
from tests.fixtures.accounts import login
from tests.notifications.conftest import BASE, queued

# The kinds these tests do not choose keep their defaults (tasks given or due, meetings).
UNTOUCHED = {
    "task_assigned": "immediate",
    "meeting_planned": "immediate",
    "task_due_soon": "immediate",
}


def _settings_of(user_id: int) -> dict[str, str]:
    db.session.commit()  # end the test's read transaction: see what other requests committed
    return notices.settings_of(db.session.get(User, user_id))


def test_defaults_are_sensible_for_each_role(holder, coordinator, partner):
    assert notices.settings_of(holder) == {
        "stage_changed": "immediate",
        "comment": "immediate",
        **UNTOUCHED,
    }
    assert notices.settings_of(coordinator) == {
        "comment": "digest",
        "form_submitted": "immediate",
        "task_assigned": "immediate",
        "task_due_soon": "digest",
        "late_projects": "digest",
    }
    assert notices.settings_of(partner) == {}


def test_a_person_chooses_on_their_account(english_client, holder):
    login(english_client, holder.email)
    page = english_client.get("/notifications/").get_data(as_text=True)
    assert "My project changes stage" in page
    assert "In my daily digest" in page

    response = english_client.post(
        "/notifications/", data={"stage_changed": "digest", "comment": "never"}
    )

    assert response.status_code == 302
    assert _settings_of(holder.id) == {"stage_changed": "digest", "comment": "never", **UNTOUCHED}


def test_a_delivery_not_offered_is_refused(english_client, coordinator):
    login(english_client, coordinator.email)

    response = english_client.post(
        "/notifications/",
        data={"comment": "never", "form_submitted": "immediate", "late_projects": "immediate"},
    )

    assert response.status_code == 200  # the form again, with its message
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _settings_of(coordinator.id)["comment"] == "digest"  # nothing saved


def _link(body: str, part: str) -> str:
    match = re.search(rf"{BASE}(/notifications/{part}/[\w.\-]+)", body)
    assert match, body
    return match.group(1)


def test_the_link_in_an_email_opens_the_settings_without_signing_in(
    client, mailbox, coordinator, holder, make_project
):
    project = make_project(holders=[holder])
    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()
    path = _link(mailbox.body(), "email")

    page = client.get(path)
    saved = client.post(path, data={"stage_changed": "never", "comment": "digest"})

    assert page.status_code == 200 and "stage_changed" in page.get_data(as_text=True)
    assert saved.status_code == 302 and saved.headers["Location"] == path
    assert _settings_of(holder.id) == {"stage_changed": "never", "comment": "digest", **UNTOUCHED}


def test_one_click_unsubscribe_stops_that_kind_without_a_csrf_token(
    other_app, mailbox, coordinator, holder, make_project
):
    project = make_project(holders=[holder])
    services.fire_transition(project.id, "pause", user_id=coordinator.id)
    db.session.commit()
    [message] = mailbox.messages
    url = message["List-Unsubscribe"].strip("<>")
    path = url.removeprefix(BASE)
    strict = other_app(WTF_CSRF_ENABLED=True, BASE_URL=BASE).test_client()  # as in production

    looked = strict.get(path)  # a GET (link scanner, preview) changes nothing
    assert looked.status_code == 302
    assert _settings_of(holder.id)["stage_changed"] == "immediate"
    clicked = strict.post(path, data={"List-Unsubscribe": "One-Click"})

    assert clicked.status_code == 302
    shown = strict.get(clicked.headers["Location"]).get_data(as_text=True)
    assert "no longer receive these e-mails" in shown or "ne recevrez plus ces e-mails" in shown
    assert _settings_of(holder.id) == {
        "stage_changed": "never",
        "comment": "immediate",
        **UNTOUCHED,
    }
    services.fire_transition(project.id, "resume", user_id=coordinator.id)
    db.session.commit()
    assert [m.kind for m in queued()] == ["notify.stage_changed"]  # the first one only


@pytest.mark.parametrize("tamper", ["forged", "other_key", "expired"])
def test_a_link_without_a_valid_signature_changes_nothing(app, client, holder, tamper, monkeypatch):
    token = links.settings_token(holder.id, "stage_changed")
    if tamper == "forged":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif tamper == "other_key":
        token = URLSafeTimedSerializer("not the key", salt=links.SALT).dumps(
            {"u": holder.id, "k": "stage_changed"}
        )
    else:
        monkeypatch.setitem(app.config, "NOTIFICATION_LINK_DAYS", -1)

    clicked = client.post(f"/notifications/unsubscribe/{token}")
    opened = client.get(f"/notifications/email/{token}")

    assert (clicked.status_code, opened.status_code) == (400, 400)
    assert _settings_of(holder.id)["stage_changed"] == "immediate"


def test_unsubscribing_from_the_digest_stops_every_kind_it_carries(client, holder):
    notices.set_settings(holder.id, {"stage_changed": "digest", "comment": "digest"})
    db.session.commit()
    token = links.settings_token(holder.id, notices.DIGEST_MAIL)

    response = client.post(f"/notifications/unsubscribe/{token}")

    assert response.status_code == 302
    assert _settings_of(holder.id) == {"stage_changed": "never", "comment": "never", **UNTOUCHED}
