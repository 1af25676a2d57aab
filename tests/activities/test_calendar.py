"""The subscribable calendar feed: a secret address per coordinator, titles and dates only."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from accompagnement.activities import services
from accompagnement.activities.services import ActivityInput
from accompagnement.extensions import db


def feed_url(token: str) -> str:
    return f"/activities/calendar/{token}.ics"


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_planned_and_done_activities_as_all_day_events(
    client, coordinator, make_activity, make_member
):
    site = make_member("Ressourcerie de Bellac")
    day = services.today() - dt.timedelta(days=60)
    done = make_activity(
        day,
        "journee_technique",
        "Journée technique textile",
        members=[site],
        end_date=day + dt.timedelta(days=1),
        partner="Limousin Actif",
        notes="Numéro privé du traiteur : 06 00 00 00 00",
        participants=14,
    )
    planned = make_activity(services.today() + dt.timedelta(days=40), "comite_pilotage", "COPIL")
    token = services.calendar_token(coordinator.id).token
    db.session.commit()

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = events_of(response.data)
    textile = events[f"activity-{done.id}@activities.accompagnement"]
    assert str(textile["SUMMARY"]) == "Journée technique textile"
    assert textile.decoded("DTSTART") == day
    assert textile.decoded("DTEND") == day + dt.timedelta(days=2)  # exclusive end of 2 days
    assert str(textile["STATUS"]) == "CONFIRMED"
    copil = events[f"activity-{planned.id}@activities.accompagnement"]
    assert str(copil["STATUS"]) == "TENTATIVE"
    for private in (b"06 00 00 00 00", b"Limousin Actif", b"Bellac"):
        assert private not in response.data


def test_uids_stay_the_same_when_an_activity_changes(client, coordinator, make_activity):
    day = services.today() - dt.timedelta(days=20)
    activity = make_activity(day, "animation", "Atelier")
    token = services.calendar_token(coordinator.id).token
    db.session.commit()
    before = set(events_of(client.get(feed_url(token)).data))
    services.update_activity(
        activity.id,
        ActivityInput(
            date=day + dt.timedelta(days=1), type="animation", title="Atelier réparation"
        ),
        user_id=coordinator.id,
    )
    db.session.commit()
    after = events_of(client.get(feed_url(token)).data)
    assert set(after) == before
    assert str(next(iter(after.values()))["SUMMARY"]) == "Atelier réparation"


def test_a_wrong_or_replaced_token_gets_404(client, coordinator, make_activity):
    make_activity("2013-03-01", "animation", "Atelier")
    old = services.calendar_token(coordinator.id).token
    db.session.commit()
    assert client.get(feed_url("not-a-token")).status_code == 404
    assert client.get(feed_url("x" * 500)).status_code == 404

    services.regenerate_calendar_token(coordinator.id)
    db.session.commit()
    assert client.get(feed_url(old)).status_code == 404


def test_the_feed_of_a_deactivated_coordinator_stops(client, coordinator):
    token = services.calendar_token(coordinator.id).token
    coordinator.active = False
    db.session.commit()
    assert client.get(feed_url(token)).status_code == 404


def test_the_page_shows_my_address_and_replaces_it(client, auth, coordinator):
    auth.login(coordinator)
    page = client.get("/activities/")
    assert b"Create the address" in page.data

    response = client.post("/activities/calendar/token")
    assert response.status_code == 302
    token = services.calendar_token(coordinator.id).token
    page = client.get("/activities/")
    assert f"/activities/calendar/{token}.ics".encode() in page.data
    assert client.get(feed_url(token)).status_code == 200
