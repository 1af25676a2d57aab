"""Means of the coordination: lines checked, saved once per year and label, and imported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from accompagnement.audit.models import AuditEvent
from accompagnement.errors import InvalidInput
from accompagnement.extensions import db
from accompagnement.importing import ImportErrorList
from accompagnement.means import queries, services
from accompagnement.means.importer import import_means
from accompagnement.means.models import BudgetLine, Funding, StaffTime
from accompagnement.means.validation import check_line

HEADER_FR = "année;type;libellé;valeur\n"
HEADER_EN = "year,type,label,value\n"


def line(year="2013", kind="staff_time", label="Ressourcerie A", value="0,4"):
    checked, errors = check_line(year, kind, label, value)
    assert errors == {}
    return checked


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (("1999", "staff_time", "A", "1"), "year"),
        ((str(date.today().year + 2), "staff_time", "A", "1"), "year"),
        (("deux mille", "staff_time", "A", "1"), "year"),
        (("2013", "holidays", "A", "1"), "kind"),
        (("2013", "staff_time", "  ", "1"), "label"),
        (("2013", "staff_time", "A" * 201, "1"), "label"),
        (("2013", "staff_time", "A", "0"), "value"),
        (("2013", "staff_time", "A", "100"), "value"),
        (("2013", "staff_time", "A", "0,333"), "value"),
        (("2013", "other_costs", "Impression", "-5"), "value"),
        (("2013", "other_costs", "Impression", "douze"), "value"),
        (("2013", "funding", "ADEME", ""), "value"),
    ],
)
def test_a_wrong_value_is_refused_with_the_field_named(values, field):
    checked, errors = check_line(*values)
    assert checked is None and list(errors) == [field]


def test_amounts_read_french_and_english_numbers_and_a_euro_sign():
    assert line(kind="other_costs", label="Impression", value="13 000 €").value == Decimal(13000)
    assert line(kind="staff_costs", label="Salaires", value="1234.50").value == Decimal("1234.5")


def test_the_same_label_in_the_same_year_is_changed_not_added(coordinator):
    assert services.save_line(line(), user_id=coordinator.id) == "created"
    assert services.save_line(line(), user_id=coordinator.id) == "unchanged"
    assert services.save_line(line(value="0,5"), user_id=coordinator.id) == "updated"
    assert services.save_line(line(year="2014"), user_id=coordinator.id) == "created"
    db.session.commit()
    assert count(StaffTime) == 2
    assert queries.staff_line(2013, "Ressourcerie A").fte == Decimal("0.5")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["means.created", "means.updated", "means.created"]


def test_a_budget_line_can_change_kind(coordinator):
    services.save_line(line(kind="staff_costs", label="Prestations", value="100"), user_id=None)
    services.save_line(line(kind="other_costs", label="Prestations", value="100"), user_id=None)
    assert [(b.kind, b.amount) for b in db.session.scalars(select(BudgetLine))] == [
        ("other", Decimal(100))
    ]


def test_funding_comes_from_one_of_the_networks_organisations(make_network):
    make_network(organisations=["ADEME"])
    with pytest.raises(InvalidInput) as refused:
        services.save_line(line(kind="funding", label="Banque inconnue", value="10"), user_id=None)
    assert "label" in refused.value.errors
    services.save_line(line(kind="funding", label="ademe", value="10 000"), user_id=None)
    assert [(f.organisation.name, f.amount) for f in db.session.scalars(select(Funding))] == [
        ("ADEME", Decimal(10000))
    ]


def test_a_deleted_line_is_gone_and_logged(coordinator):
    services.save_line(line(), user_id=coordinator.id)
    staff = queries.staff_line(2013, "Ressourcerie A")
    gone = services.delete_line("staff", staff.id, user_id=coordinator.id)
    assert gone.label == "Ressourcerie A" and count(StaffTime) == 0
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == (
        "means.deleted"
    )


def test_an_import_with_french_headers_creates_then_changes_nothing(make_network):
    make_network(organisations=["ADEME", "Région Limousin"])
    data = (
        HEADER_FR
        + "2013;temps de travail;Ressourcerie A;0,6\n"
        + "2013;Charges de personnel;Salaires;20 000\n"
        + "2013;autres charges;Impression;5 000\n"
        + "2013;financement;Région Limousin;15 000\n"
    ).encode()
    first = import_means(data, user_id=None)
    again = import_means(data, user_id=None)
    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert first.years == [2013]
    assert (count(StaffTime), count(BudgetLine), count(Funding)) == (1, 2, 1)


def test_an_import_lists_every_bad_line_and_writes_nothing(make_network):
    make_network(organisations=["ADEME"])
    data = (
        HEADER_EN
        + "2013,staff_time,Ressourcerie A,0.5\n"
        + "2013,funding,Inconnu,10\n"
        + "1990,other_costs,Impression,5\n"
        + "2013,holidays,X,1\n"
        + "2013,staff_time,ressourcerie a,0.2\n"
    ).encode()
    with pytest.raises(ImportErrorList) as refused:
        import_means(data, user_id=None)
    assert [(r.line, r.column) for r in refused.value.rows] == [
        (3, "label"), (4, "year"), (5, "type"), (6, None)
    ]  # fmt: skip
    assert count(StaffTime) == 0


def test_the_example_file_imports(make_network, coordinator):
    from pathlib import Path

    make_network(organisations=["ADEME", "Région Limousin", "Limousin Actif"])
    example = Path(__file__).parents[2] / "docs" / "examples" / "moyens.csv"
    result = import_means(example.read_bytes(), user_id=coordinator.id)
    assert result.created > 0 and result.updated == result.unchanged == 0
