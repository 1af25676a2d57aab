"""Pipeline statistics computed from plain rows: funnel and time spent in each stage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import NamedTuple

SECONDS_PER_DAY = 86400


class Step(NamedTuple):
    """One transition of a project: the state it entered, and when."""

    project_id: int
    to_state: str
    at: datetime


@dataclass(frozen=True)
class StageTime:
    """Median days spent in one stage over the projects that entered it."""

    stage: str
    median_days: float
    projects: int
    ongoing: int


def reached(steps: Iterable[Step]) -> dict[str, int]:
    """Count, for each state, the projects that entered it at least once."""
    seen: dict[str, set[int]] = defaultdict(set)
    for step in steps:
        seen[step.to_state].add(step.project_id)
    return {state: len(ids) for state, ids in seen.items()}


def time_in_states(
    steps: Iterable[Step], now: datetime
) -> tuple[dict[tuple[int, str], float], set[tuple[int, str]]]:
    """Sum the days each project spent in each state; also return the (project, state) pairs
    still running (their time counts up to `now`). `steps` must be ordered by project, then id."""
    totals: dict[tuple[int, str], float] = defaultdict(float)
    ongoing: set[tuple[int, str]] = set()
    ordered = list(steps)
    followers: list[Step | None] = [*ordered[1:], None] if ordered else []
    for current, following in zip(ordered, followers, strict=True):
        same_project = following is not None and following.project_id == current.project_id
        end = following.at if same_project and following else now
        key = (current.project_id, current.to_state)
        totals[key] += max((end - current.at).total_seconds(), 0) / SECONDS_PER_DAY
        if not same_project:
            ongoing.add(key)
    return dict(totals), ongoing


def stage_times(steps: Iterable[Step], now: datetime, stages: Iterable[str]) -> list[StageTime]:
    """Return the median days spent in each of `stages` (projects still there count so far)."""
    totals, ongoing = time_in_states(steps, now)
    per_stage: dict[str, list[float]] = defaultdict(list)
    running: dict[str, int] = defaultdict(int)
    for (project_id, state), days in totals.items():
        per_stage[state].append(days)
        if (project_id, state) in ongoing:
            running[state] += 1
    return [
        StageTime(stage, median(per_stage[stage]), len(per_stage[stage]), running[stage])
        for stage in stages
        if per_stage.get(stage)
    ]


def days_between(start: datetime, now: datetime) -> int:
    """Return the whole days elapsed from `start` to `now` (never negative)."""
    return max(int((now - start).total_seconds() // SECONDS_PER_DAY), 0)
