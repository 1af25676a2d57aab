"""Recording, changing and planning activities through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from accompagnement.activities import services
from accompagnement.activities.models import Activity, activity_members
from accompagnement.activities.services import ActivityInput
from accompagnement.audit.models import AuditEvent
from accompagnement.errors import Forbidden, InvalidInput
from accompagnement.extensions import db

ENGLISH = {"LANG": "en_US.UTF-8"}  # these tests read the English sentences

PAST = dt.date(2013, 5, 14)


def values(**overrides):  # noqa: ANN003, ANN201
    fields = {"date": PAST, "type": "journee_rencontre", "title": "Rencontre de printemps"}
    fields.update(overrides)
    return ActivityInput(**fields)


def errors_of(call) -> dict[str, str]:  # noqa: ANN001
    with pytest.raises(InvalidInput) as caught:
        call()
    db.session.rollback()
    return caught.value.errors


def test_a_coordinator_records_an_activity_with_its_ressourceries(coordinator, make_member):
    tulle = make_member("Ressourcerie de Tulle")
    gueret = make_member("Recyclerie de Guéret")
    activity = services.create_activity(
        values(member_ids=[gueret.id, tulle.id], participants=18, partner="  SYDED 87 "),
        user_id=coordinator.id,
    )
    db.session.commit()

    stored = db.session.get(Activity, activity.id)
    assert [m.name for m in stored.members] == ["Recyclerie de Guéret", "Ressourcerie de Tulle"]
    assert stored.status == "done"
    assert stored.partner == "SYDED 87"
    assert stored.created_by_id == coordinator.id
    assert db.session.scalar(select(AuditEvent.action)) == "activity.created"


def test_a_future_activity_is_planned_by_default_and_cannot_be_done(coordinator):
    future = services.today() + dt.timedelta(days=30)
    activity = services.create_activity(values(date=future), user_id=coordinator.id)
    assert activity.status == "planned"

    problems = errors_of(
        lambda: services.create_activity(
            values(date=future, title="Autre", status="done"), user_id=coordinator.id
        )
    )
    assert problems == {"status": "An activity in the future cannot be done yet."}


def test_a_visit_needs_its_visitor_and_the_ressourcerie_visited(coordinator, make_member):
    problems = errors_of(
        lambda: services.create_activity(values(type="visite"), user_id=coordinator.id)
    )
    assert set(problems) == {"visitor", "member_ids"}

    site = make_member("Ressourcerie d'Eymoutiers")
    visit = services.create_activity(
        values(type="visite", visitor="collectivite", member_ids=[site.id]),
        user_id=coordinator.id,
    )
    assert visit.visitor_label == "Local authority"


def test_a_visitor_type_is_refused_on_anything_but_a_visit(coordinator):
    problems = errors_of(
        lambda: services.create_activity(values(visitor="autre"), user_id=coordinator.id)
    )
    assert problems == {"visitor": "The visitor type is only for visits."}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"type": "apero"}, "type"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"participants": -1}, "participants"),
        ({"participants": 10_000_000}, "participants"),
        ({"end_date": PAST - dt.timedelta(days=1)}, "end_date"),
        ({"member_ids": [999_999]}, "member_ids"),
        ({"status": "cancelled"}, "status"),
        ({"notes": "n" * 5001}, "notes"),
    ],
)
def test_bad_values_are_refused_with_the_field_at_fault(coordinator, overrides, field):
    problems = errors_of(
        lambda: services.create_activity(values(**overrides), user_id=coordinator.id)
    )
    assert field in problems
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 0


def test_the_same_date_type_and_title_is_recorded_once(coordinator):
    services.create_activity(values(), user_id=coordinator.id)
    db.session.commit()
    problems = errors_of(
        lambda: services.create_activity(
            values(title=" Rencontre  de printemps "), user_id=coordinator.id
        )
    )
    assert "title" in problems
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 1


def test_only_an_active_coordinator_changes_the_log(make_user, coordinator):
    for role in ("holder", "partner", "member"):
        user = make_user(role)
        with pytest.raises(Forbidden):
            services.create_activity(values(), user_id=user.id)
    activity = services.create_activity(values(), user_id=coordinator.id)
    db.session.commit()
    partner = make_user("partner")
    with pytest.raises(Forbidden):
        services.delete_activity(activity.id, user_id=partner.id)


def test_an_update_changes_fields_and_ressourceries(coordinator, make_member):
    a, b = make_member("A"), make_member("B")
    activity = services.create_activity(values(member_ids=[a.id]), user_id=coordinator.id)
    db.session.commit()
    services.update_activity(
        activity.id,
        values(type="animation", title="Atelier vélo", member_ids=[b.id], participants=40),
        user_id=coordinator.id,
    )
    db.session.commit()
    stored = db.session.get(Activity, activity.id)
    assert (stored.type, stored.title, stored.participants) == ("animation", "Atelier vélo", 40)
    assert [m.name for m in stored.members] == ["B"]


def test_an_update_may_keep_its_own_natural_key(coordinator):
    activity = services.create_activity(values(), user_id=coordinator.id)
    db.session.commit()
    services.update_activity(activity.id, values(participants=12), user_id=coordinator.id)
    db.session.commit()
    assert db.session.get(Activity, activity.id).participants == 12


def test_deleting_an_activity_removes_its_links_and_is_audited(coordinator, make_member):
    a = make_member("A")
    activity = services.create_activity(values(member_ids=[a.id]), user_id=coordinator.id)
    db.session.commit()
    services.delete_activity(activity.id, user_id=coordinator.id)
    db.session.commit()
    assert db.session.scalar(select(sa.func.count()).select_from(activity_members)) == 0
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "activity.deleted"


def test_marking_done_refuses_an_activity_still_to_come(coordinator):
    future = services.today() + dt.timedelta(days=3)
    activity = services.create_activity(values(date=future), user_id=coordinator.id)
    with pytest.raises(InvalidInput):
        services.mark_done(activity.id, user_id=coordinator.id)
    past = services.create_activity(
        values(title="Passée", status="planned"), user_id=coordinator.id
    )
    assert services.mark_done(past.id, user_id=coordinator.id).status == "done"


@pytest.fixture
def plan_2_2(make_network):
    return make_network(plan={"reunion_coordination": 2, "journee_technique": 2})


def test_planning_a_year_creates_two_meetings_and_two_technical_days_once(coordinator, plan_2_2):
    created = services.plan_year(2031, user_id=coordinator.id)
    db.session.commit()
    assert sorted((a.type, a.date.month) for a in created) == [
        ("journee_technique", 6),
        ("journee_technique", 12),
        ("reunion_coordination", 3),
        ("reunion_coordination", 9),
    ]
    assert {a.status for a in created} == {"planned"}
    assert all(a.date.year == 2031 for a in created)

    assert services.plan_year(2031, user_id=coordinator.id) == []
    db.session.commit()
    assert db.session.scalar(select(sa.func.count(Activity.id))) == 4


def test_planning_follows_the_network_s_plan_not_a_fixed_rhythm(coordinator, make_network):
    make_network(plan={"comite_pilotage": 1, "reunion_coordination": 4})
    created = services.plan_year(2031, user_id=coordinator.id)
    assert sorted((a.type, a.date.month) for a in created) == [
        ("comite_pilotage", 9),
        ("reunion_coordination", 1),
        ("reunion_coordination", 4),
        ("reunion_coordination", 7),
        ("reunion_coordination", 10),
    ]


def test_planning_without_a_network_plan_is_refused_with_a_clear_message(coordinator):
    with pytest.raises(InvalidInput) as refused:
        services.plan_year(2031, user_id=coordinator.id)
    assert "yearly plan" in refused.value.errors["plan"]


def test_planning_a_year_counts_what_is_already_recorded(coordinator, plan_2_2):
    services.create_activity(
        values(
            date=dt.date(2032, 2, 1),
            type="reunion_coordination",
            title="Réunion de février",
            status="planned",
        ),
        user_id=coordinator.id,
    )
    created = services.plan_year(2032, user_id=coordinator.id)
    assert sorted(a.type for a in created) == [
        "journee_technique",
        "journee_technique",
        "reunion_coordination",
    ]


def test_planning_refuses_an_absurd_year(coordinator, plan_2_2):
    with pytest.raises(InvalidInput):
        services.plan_year(1789, user_id=coordinator.id)


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "apero"},
        {"visitor": "collectivite"},  # a visitor on something that is not a visit
        {"participants": -3},
        {"status": "maybe"},
        {"end_date": dt.date(2013, 1, 1)},
    ],
)
def test_the_database_refuses_what_the_service_refuses(coordinator, bad):
    row = {"date": PAST, "type": "animation", "title": "Brut", "status": "done"}
    row.update(bad)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Activity).values(**row))
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_visit_without_visitor(coordinator):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.insert(Activity).values(date=PAST, type="visite", title="V", status="done")
        )
    db.session.rollback()


def test_a_calendar_token_is_made_once_and_replaced_on_demand(coordinator):
    first = services.calendar_token(coordinator.id).token
    assert services.calendar_token(coordinator.id).token == first
    assert services.regenerate_calendar_token(coordinator.id).token != first
    assert len(first) >= 40


def test_the_plan_command_without_a_network_plan_exits_1_with_a_message(runner):
    result = runner.invoke(args=["activities", "plan", "2033"], env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 1
    assert "no yearly plan" in result.output


def test_the_plan_command_plans_a_year_once(runner, plan_2_2):
    first = runner.invoke(env=ENGLISH, args=["activities", "plan", "2033"])
    second = runner.invoke(env=ENGLISH, args=["activities", "plan", "2033"])
    assert first.exit_code == 0, first.output
    assert "4 activities planned for 2033" in first.output
    assert "0 activities planned for 2033" in second.output
    assert runner.invoke(env=ENGLISH, args=["activities", "plan", "33"]).exit_code == 2
