"""Anonymising a person erases what identifies them and keeps the pipeline statistics intact."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from accompagnement.audit.models import AuditEvent
from accompagnement.auth.models import User
from accompagnement.auth.services import authenticate, load_session_user
from accompagnement.extensions import db
from accompagnement.privacy import services
from accompagnement.privacy.personal_data import REGISTRY, Erasure
from tests.conftest import PASSWORD
from tests.privacy.people import EMAIL, NEIGHBOUR_SECRET, PHONE, Scene, table_rows

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

PIPELINE = ("projects", "project_holders", "transition_records", "form_submissions",
            "checklist_ticks", "workflow_snapshots")  # fmt: skip
HER_WORDS = ("Maëlle", "Fictive", EMAIL, PHONE, "Collectif Fictif", "j'ai un local")


def everything_as_text() -> str:
    """Return every value of every table, as one text to search in."""
    return json.dumps(table_rows(), default=str, ensure_ascii=False)


def erasable_text() -> str:
    """Return the values of the columns the registry erases (what must not name her after)."""
    values = []
    for name, rows in table_rows().items():
        for row in rows:
            for column, value in row.items():
                if REGISTRY[name].columns[column].erasure is not Erasure.KEEP:
                    values.append(str(value))
    return "\n".join(values)


def test_nothing_identifying_remains_where_the_registry_erases(scene: Scene) -> None:
    before = erasable_text()
    assert all(word in before for word in HER_WORDS)
    services.anonymise_person(EMAIL)
    db.session.commit()
    after = erasable_text()
    for word in HER_WORDS:
        assert word not in after, word
    assert "Voisin Fictif" in after and NEIGHBOUR_SECRET in after  # the neighbour keeps his


def test_the_pipeline_statistics_do_not_change(scene: Scene) -> None:
    before = table_rows()
    services.anonymise_person(EMAIL)
    db.session.commit()
    after = table_rows()
    for name in PIPELINE:
        assert after[name] == before[name], name


def test_the_account_can_no_longer_be_used(scene: Scene) -> None:
    user = db.session.get(User, scene.person_id)
    old_session = user.get_id()
    services.anonymise_person(EMAIL)
    db.session.commit()
    user = db.session.get(User, scene.person_id)
    assert user.name == f"Personne anonymisée #{user.id}"
    assert user.email == f"anonyme-{user.id}@anonyme.invalid"
    assert (user.phone, user.organisation, user.password_hash) == (None, None, None)
    assert user.anonymised_at is not None and not user.is_active
    assert user.get_id() != old_session
    assert load_session_user(old_session) is None
    assert authenticate(EMAIL, PASSWORD, max_failures=5, lock_minutes=15) is None


def test_her_words_are_replaced_and_her_files_renamed(scene: Scene) -> None:
    services.anonymise_person(EMAIL)
    db.session.commit()
    rows = table_rows()
    bodies = [c["body"] for c in rows["comments"] if c["author_id"] == scene.person_id]
    assert bodies == [services.ERASED_TEXT]
    others = [c["body"] for c in rows["comments"] if c["author_id"] != scene.person_id]
    assert "Rendez-vous pris" in others and NEIGHBOUR_SECRET in others
    (document,) = [d for d in rows["documents"] if d["uploaded_by_id"] == scene.person_id]
    assert document["original_name"] == f"document-{document['id']}.pdf"
    (member,) = rows["members"]
    assert member["name"] == "Ressourcerie Fictive de Tulle"
    assert (member["contact_name"], member["contact_email"], member["contact_phone"]) == (
        None, None, None
    )  # fmt: skip


def test_anonymisation_is_logged_and_done_once(scene: Scene) -> None:
    first = services.anonymise_person(EMAIL)
    db.session.commit()
    assert first.rows["users"] == 1 and first.rows["comments"] == 1
    again = services.anonymise_user(scene.person_id, reason="request")
    db.session.commit()
    assert again.already_done and again.rows == {}
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.anonymised")
    ).all()
    assert [e.detail["subject_id"] for e in events] == [scene.person_id]
    assert EMAIL not in json.dumps([e.detail for e in events])


def test_a_contact_without_an_account_is_anonymised(scene: Scene) -> None:
    from accompagnement.members.models import Member

    db.session.add(Member(name="Recyclerie Fictive", contact_name="Sans Compte",
                          contact_email="sans.compte@example.org"))  # fmt: skip
    db.session.commit()
    result = services.anonymise_person("Sans.Compte@example.org")
    db.session.commit()
    assert result.user_id is None and result.rows == {"members": 1}
    rows = {m["name"]: m for m in table_rows()["members"]}
    assert rows["Recyclerie Fictive"]["contact_name"] is None
    assert rows["Ressourcerie Fictive de Tulle"]["contact_phone"] == PHONE  # not hers


def test_the_command_asks_for_confirmation(scene: Scene, runner: FlaskCliRunner) -> None:
    before = table_rows()
    result = runner.invoke(env=ENGLISH, args=["privacy", "anonymise", EMAIL], input="n\n")
    assert result.exit_code == 1
    assert table_rows() == before
    result = runner.invoke(env=ENGLISH, args=["privacy", "anonymise", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Anonymised" in result.output
    assert db.session.get(User, scene.person_id).anonymised_at is not None


@pytest.mark.parametrize("email", ["personne@example.org", "pas-une-adresse"])
def test_the_command_explains_an_unknown_person(runner: FlaskCliRunner, email: str) -> None:
    result = runner.invoke(args=["privacy", "anonymise", email, "--yes"])
    assert result.exit_code == 1
    assert "No personal data is held for this e-mail address" in result.output
    assert "Traceback" not in result.output
