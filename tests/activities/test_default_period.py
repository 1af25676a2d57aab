"""The activity log opens on what a coordinator follows: everything planned, the last 12 months.

Older activities and visits stay one click away (`?start=` empty: the whole log), and the
period shown is in the filter form, so a page's URL says what it lists.
"""

from __future__ import annotations

import datetime as dt

from accompagnement.activities import services
from accompagnement.activities.queries import default_start

EN = {"Accept-Language": "en"}


def test_the_period_starts_a_year_ago_even_from_29_february() -> None:
    assert default_start(dt.date(2026, 12, 1)) == dt.date(2025, 12, 1)
    assert default_start(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def test_the_log_opens_on_the_planned_ones_and_the_last_twelve_months(
    client, auth, coordinator, make_activity, make_member, make_project, save_visits
) -> None:
    today = services.today()
    make_activity(today + dt.timedelta(days=20), "formation", "Formation à venir", status="planned")
    make_activity(today - dt.timedelta(days=900), "animation", "Oubliée", status="planned")
    make_activity(today - dt.timedelta(days=30), "animation", "Atelier récent")
    make_activity(today - dt.timedelta(days=400), "animation", "Atelier ancien")
    site = make_member("Ressourcerie de Guéret")
    save_visits(make_project("Projet récent"), [(site, (today - dt.timedelta(days=5)).isoformat())])
    save_visits(
        make_project("Projet ancien"), [(site, (today - dt.timedelta(days=500)).isoformat())]
    )
    auth.login(coordinator)

    page = client.get("/activities/", headers=EN).get_data(as_text=True)

    for shown in ("Formation à venir", "Oubliée", "Atelier récent", "Projet récent"):
        assert shown in page
    assert "Atelier ancien" not in page and "Projet ancien" not in page
    assert "1–4 of 4" in page
    assert f'value="{default_start(today).isoformat()}"' in page  # the period, in the form
    assert "Shown: everything planned and the last twelve months." in page
    assert 'href="/activities/?start="' in page

    whole = client.get("/activities/?start=", headers=EN).get_data(as_text=True)
    assert "Atelier ancien" in whole and "Projet ancien" in whole and "1–6 of 6" in whole
    assert "Shown: everything planned" not in whole


def test_a_chosen_start_bounds_the_planned_ones_too(
    client, auth, coordinator, make_activity
) -> None:
    today = services.today()
    make_activity(today - dt.timedelta(days=900), "animation", "Oubliée", status="planned")
    auth.login(coordinator)
    start = (today - dt.timedelta(days=100)).isoformat()
    page = client.get(f"/activities/?start={start}", headers=EN).get_data(as_text=True)
    assert "Oubliée" not in page and f'value="{start}"' in page


def test_the_summary_counts_the_default_period(client, auth, coordinator, make_activity) -> None:
    today = services.today()
    make_activity(today - dt.timedelta(days=30), "animation", "Atelier récent")
    make_activity(today - dt.timedelta(days=400), "animation", "Atelier ancien")
    auth.login(coordinator)
    page = client.get("/activities/", headers=EN).get_data(as_text=True)
    assert '<th scope="row">Animation</th>\n              <td class="num">1</td>' in page
    whole = client.get("/activities/?start=", headers=EN).get_data(as_text=True)
    assert '<th scope="row">Animation</th>\n              <td class="num">2</td>' in whole
