"""Pipeline statistics from transition rows (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from accompagnement.partners.stats import Step, days_between, reached, stage_times, time_in_states

NOW = datetime(2025, 6, 30, 12, 0)


def day(n: int) -> datetime:
    return NOW - timedelta(days=n)


def test_reached_counts_each_project_once_per_state():
    steps = [Step(1, "a", day(9)), Step(1, "b", day(5)), Step(1, "a", day(2)), Step(2, "a", day(1))]
    assert reached(steps) == {"a": 2, "b": 1}


def test_time_in_states_adds_up_returns_and_marks_the_current_state():
    steps = [
        Step(1, "a", day(10)),
        Step(1, "b", day(6)),
        Step(1, "a", day(2)),
        Step(2, "a", day(3)),
    ]

    totals, ongoing = time_in_states(steps, NOW)

    assert totals == {(1, "a"): 6, (1, "b"): 4, (2, "a"): 3}
    assert ongoing == {(1, "a"), (2, "a")}


def test_stage_times_gives_medians_in_the_requested_order():
    steps = [
        Step(1, "a", day(10)),
        Step(1, "b", day(4)),
        Step(2, "a", day(2)),
        Step(3, "a", day(8)),
        Step(3, "b", day(7)),
    ]

    times = stage_times(steps, NOW, ["b", "a", "c"])

    assert [(t.stage, t.median_days, t.projects, t.ongoing) for t in times] == [
        ("b", 5.5, 2, 2),
        ("a", 2, 3, 1),
    ]


def test_days_between_never_goes_negative():
    assert days_between(NOW + timedelta(hours=5), NOW) == 0
    assert days_between(day(3) - timedelta(hours=1), NOW) == 3
