"""Fixtures of the observatory tests: two member ressourceries, an account, their reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.observatory.models import ObservatoryReport


@pytest.fixture
def make_report() -> Callable[..., ObservatoryReport]:
    """Return a factory of reports stored as given (no checks): make_report(member, 2024, ...)."""

    def make(member: Member, year: int, **values: Any) -> ObservatoryReport:
        report = ObservatoryReport(member_id=member.id, year=year, **values)
        db.session.add(report)
        db.session.commit()
        return report

    return make


@pytest.fixture
def tulle(make_member: Callable[..., Member]) -> Member:
    return make_member("Ressourcerie du Pays de Tulle")


@pytest.fixture
def gueret(make_member: Callable[..., Member]) -> Member:
    return make_member("Recyclerie de Guéret")


@pytest.fixture
def tulle_account(make_user: Callable[..., Any], tulle: Member) -> Any:
    return make_user("member", name="Tess Tulle", member_id=tulle.id)


FULL = {
    "collected_dropoff": "60,5",
    "collected_dechetterie": "30",
    "collected_home": "9.5",
    "collected_bulky": "",
    "collected_business": "0",
    "flow_furniture": "50",
    "flow_electrical": "10",
    "flow_textile": "20",
    "flow_books": "10",
    "flow_tableware": "5",
    "flow_toys": "3",
    "flow_bikes": "2",
    "flow_other": "0",
    "out_sale": "40",
    "out_donation": "10",
    "out_recycling": "30",
    "out_disposal": "20",
    "turnover": "1 234,50",
    "sales_count": "100",
    "headcount": "8",
    "fte": "6,5",
    "women_percent": "50",
    "contracts_permanent": "3",
    "contracts_fixed_term": "1",
    "contracts_subsidised": "2",
    "contracts_integration": "2",
    "volunteers": "12",
    "volunteer_hours": "800",
    "awareness_actions": "4",
    "people_reached": "150",
}


@pytest.fixture
def full_report() -> dict[str, str]:
    """A complete, consistent report as typed in the form (100 t collected)."""
    return dict(FULL)
