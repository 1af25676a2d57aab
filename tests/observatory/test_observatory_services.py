"""Filling in a yearly report: who may, what is stored, and no silent overwrite."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from accompagnement.audit.models import AuditEvent
from accompagnement.errors import InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport
from accompagnement.observatory.services import find_report, save_report


def test_a_member_fills_in_its_own_report(
    tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    report = save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)
    db.session.commit()

    stored = find_report(tulle.id, 2024)
    assert stored is report and stored.revision == 1
    assert stored.collected_dropoff == Decimal("60.5")
    assert stored.collected_bulky is None
    assert stored.turnover == Decimal("1234.50")
    assert stored.headcount == 8
    assert (stored.created_by_id, stored.updated_by_id) == (tulle_account.id, tulle_account.id)
    assert stored.derived.total_collected == Decimal("100.0")
    assert stored.derived.reuse_rate == Decimal("50.0")
    assert stored.derived.recovery_rate == Decimal("80.0")
    assert stored.derived.average_basket == Decimal("12.35")


def test_a_member_cannot_fill_in_another_members_report(
    tulle_account: Any, gueret: Member, full_report: dict[str, str]
) -> None:
    with pytest.raises(NotFound):
        save_report(gueret.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)


@pytest.mark.parametrize("role", ["partner", "holder"])
def test_partners_and_holders_cannot_fill_in_a_report(
    role: str, make_user: Callable[..., Any], tulle: Member, full_report: dict[str, str]
) -> None:
    user = make_user(role)
    with pytest.raises(NotFound):
        save_report(tulle.id, 2024, full_report, user_id=user.id, base_revision=0)


def test_the_coordinator_corrects_any_report(
    coordinator: Any, tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)
    db.session.commit()
    corrected = {**full_report, "volunteers": "15"}
    report = save_report(tulle.id, 2024, corrected, user_id=coordinator.id, base_revision=1)
    db.session.commit()
    assert (report.volunteers, report.revision, report.updated_by_id) == (15, 2, coordinator.id)
    assert report.created_by_id == tulle_account.id
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["observatory.report_created", "observatory.report_updated"]


def test_an_edit_from_a_stale_revision_is_refused(
    coordinator: Any, tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)
    db.session.commit()
    save_report(
        tulle.id, 2024, {**full_report, "volunteers": "13"}, user_id=coordinator.id, base_revision=1
    )
    db.session.commit()

    with pytest.raises(StaleEdit) as refused:
        save_report(
            tulle.id,
            2024,
            {**full_report, "volunteers": "14"},
            user_id=tulle_account.id,
            base_revision=1,
        )
    assert refused.value.current_revision == 2
    assert refused.value.author == "Camille Coordination"
    db.session.rollback()
    assert find_report(tulle.id, 2024).volunteers == 13


def test_creating_a_report_that_someone_else_just_created_is_refused(
    coordinator: Any, tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)
    db.session.commit()
    with pytest.raises(StaleEdit):
        save_report(tulle.id, 2024, full_report, user_id=coordinator.id, base_revision=0)


def test_saving_identical_figures_changes_nothing(
    tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=0)
    db.session.commit()
    report = save_report(tulle.id, 2024, full_report, user_id=tulle_account.id, base_revision=1)
    db.session.commit()
    assert report.revision == 1


def test_wrong_figures_are_refused_with_messages_by_field(
    tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    wrong = {**full_report, "flow_books": "-1", "fte": "abc"}
    with pytest.raises(InvalidInput) as refused:
        save_report(tulle.id, 2024, wrong, user_id=tulle_account.id, base_revision=0)
    assert refused.value.errors == {
        "flow_books": "Must be zero or more.",
        "fte": "Enter a number, e.g. 12.5.",
    }
    assert db.session.scalar(sa.select(sa.func.count(ObservatoryReport.id))) == 0


def test_a_report_for_an_absurd_year_is_refused(
    tulle: Member, tulle_account: Any, full_report: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save_report(tulle.id, 1990, full_report, user_id=tulle_account.id, base_revision=0)
    assert "year" in refused.value.errors


@pytest.mark.parametrize(
    ("column", "value"),
    [("flow_books", Decimal("-1")), ("headcount", -2), ("turnover", Decimal("-5")),
     ("women_percent", Decimal("101")), ("year", 1999)],
)  # fmt: skip
def test_the_database_refuses_negative_or_absurd_figures(
    tulle: Member, column: str, value: Any
) -> None:
    values = {"member_id": tulle.id, "year": 2024, column: value}
    db.session.add(ObservatoryReport(**values))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_two_reports_for_one_member_and_year(
    tulle: Member, make_report: Callable[..., ObservatoryReport]
) -> None:
    make_report(tulle, 2024)
    db.session.add(ObservatoryReport(member_id=tulle.id, year=2024))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_concurrent_save_between_reading_and_writing_is_refused(
    coordinator: Any, tulle: Member, make_report: Callable[..., ObservatoryReport]
) -> None:
    """The UPDATE checks the revision it read: a save that happened meanwhile wins, cleanly."""
    from sqlalchemy.orm.attributes import set_committed_value

    from accompagnement.observatory.services import write_report

    report = make_report(tulle, 2024, volunteers=3)
    set_committed_value(report, "revision", 0)  # as if read before another save made it 1
    with pytest.raises(StaleEdit):
        write_report(tulle.id, 2024, {"volunteers": 4}, report=report, user_id=coordinator.id)
    db.session.rollback()
    assert find_report(tulle.id, 2024).volunteers == 3


def test_every_indicator_is_a_column_of_the_report() -> None:
    from accompagnement.observatory.indicators import KEYS

    columns = set(ObservatoryReport.__table__.columns.keys())
    assert set(KEYS) <= columns
    assert columns - set(KEYS) == {
        "id", "member_id", "year", "created_by_id", "updated_by_id", "created_at",
        "updated_at", "revision", "network_id",
    }  # fmt: skip
