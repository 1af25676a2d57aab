"""Saved reports as use cases: a named period, its narrative as versions, frozen figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accompagnement.errors import Forbidden, InvalidInput, NotFound, StaleEdit
from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.reports import saved
from accompagnement.reports.compare import MISSING, Difference, differences
from accompagnement.reports.document import paragraphs
from accompagnement.reports.models import NarrativeVersion
from accompagnement.reports.saved import ReportInput

COMMITTEE = ReportInput("Comité de pilotage 2024", "2024-01-01", "2024-12-31")
TEXTS = {
    "highlights": "Deux ressourceries ont rejoint le réseau.\n\nUne journée technique à Guéret.",
    "difficulties": "Le DLA de la Creuse a fermé au printemps.",
    "outlook": "Ouvrir à Felletin en 2025.",
}


@pytest.fixture
def committee(network_year: dict[str, Member], coordinator: Any) -> Any:
    report = saved.create_report(COMMITTEE, user_id=coordinator.id)
    db.session.commit()
    return report


def test_a_coordinator_names_a_report_for_a_period(committee: Any) -> None:
    assert committee.name == "Comité de pilotage 2024"
    assert (committee.start_on.isoformat(), committee.end_on.isoformat()) == (
        "2024-01-01",
        "2024-12-31",
    )
    assert saved.current_version(committee.id) is None and not committee.frozen


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (ReportInput("Comité de pilotage 2024", "2023-01-01", "2023-12-31"), "name"),
        (ReportInput("  ", "2024-01-01", "2024-12-31"), "name"),
        (ReportInput("x" * 201, "2024-01-01", "2024-12-31"), "name"),
        (ReportInput("Bilan", "2024-02-30", "2024-12-31"), "from"),
        (ReportInput("Bilan", "2024-06-01", "2024-01-01"), "to"),
        (ReportInput("Bilan", "2024-01-01", "2024-12-31", departement="75"), "departement"),
    ],
)
def test_a_bad_name_period_or_departement_is_refused_with_its_field(
    committee: Any, coordinator: Any, values: ReportInput, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        saved.create_report(values, user_id=coordinator.id)
    assert field in refused.value.errors


def test_only_a_coordinator_creates_or_writes(committee: Any, partner: Any) -> None:
    with pytest.raises(Forbidden):
        saved.create_report(ReportInput("Autre", "2024-01-01", "2024-12-31"), user_id=partner.id)
    with pytest.raises(Forbidden):
        saved.save_narrative(committee.id, TEXTS, user_id=partner.id, base_version=0)


def test_each_save_of_the_narrative_is_a_new_version_with_its_author(
    committee: Any, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    other = make_user("coordinator", name="Dominique Second")
    first = saved.save_narrative(committee.id, TEXTS, user_id=coordinator.id, base_version=0)
    changed = {**TEXTS, "outlook": "Ouvrir à Felletin et à Ussel en 2025."}
    second = saved.save_narrative(committee.id, changed, user_id=other.id, base_version=1)
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert saved.current_version(committee.id).outlook == changed["outlook"]
    assert saved.version(committee.id, 1).outlook == TEXTS["outlook"]
    assert saved.version(committee.id, 1).author.name == "Camille Coordination"
    page, versions = saved.versions_page(committee.id, 1)
    assert page.total == 2 and [v.author.name for v in versions] == [
        "Dominique Second",
        "Camille Coordination",
    ]


def test_saving_the_same_text_again_makes_no_version(committee: Any, coordinator: Any) -> None:
    saved.save_narrative(committee.id, TEXTS, user_id=coordinator.id, base_version=0)
    again = saved.save_narrative(committee.id, TEXTS, user_id=coordinator.id, base_version=1)
    assert again.number == 1
    assert db.session.query(NarrativeVersion).count() == 1


def test_a_save_from_an_older_version_is_refused_and_writes_nothing(
    committee: Any, coordinator: Any, make_user: Callable[..., Any]
) -> None:
    other = make_user("coordinator", name="Dominique Second")
    saved.save_narrative(committee.id, TEXTS, user_id=other.id, base_version=0)
    db.session.commit()
    with pytest.raises(StaleEdit) as refused:
        saved.save_narrative(
            committee.id, {"highlights": "Mon texte"}, user_id=coordinator.id, base_version=0
        )
    assert (refused.value.current_revision, refused.value.author) == (1, "Dominique Second")
    db.session.rollback()
    assert db.session.query(NarrativeVersion).count() == 1


def test_the_narrative_keeps_its_lines_and_loses_invisible_characters(
    committee: Any, coordinator: Any
) -> None:
    typed = {"highlights": "Ligne un\r\nligne deux\u202e\x00\r\n\r\nSecond paragraphe\u200b"}
    version = saved.save_narrative(committee.id, typed, user_id=coordinator.id, base_version=0)
    assert version.highlights == "Ligne un\nligne deux\n\nSecond paragraphe"
    assert paragraphs(version.highlights) == ["Ligne un\nligne deux", "Second paragraphe"]


def test_a_too_long_part_is_refused_by_its_name(committee: Any, coordinator: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        saved.save_narrative(
            committee.id, {"outlook": "a" * 20_001}, user_id=coordinator.id, base_version=0
        )
    assert list(refused.value.errors) == ["outlook"]


def test_paragraphs_are_split_at_blank_lines() -> None:
    assert paragraphs("  \nUn\ndeux\n \n\n\nTrois  \n") == ["Un\ndeux", "Trois"]
    assert paragraphs("") == []


# --- Freezing and comparing ----------------------------------------------------------------------


def test_a_frozen_report_keeps_its_figures_when_the_data_is_corrected(
    committee: Any,
    coordinator: Any,
    make_activity: Callable[..., Any],
    network_year: dict[str, Member],
) -> None:
    saved.freeze(committee.id, user_id=coordinator.id)
    db.session.commit()
    make_activity("2024-03-03", "journee_rencontre", members=[network_year["c"]])  # late entry
    report = saved.readable_report(coordinator, committee.id)
    assert report.frozen and report.frozen_by_id == coordinator.id
    assert saved.figures(report)["activities"]["journee_rencontre"]["count"] == 2
    assert saved.live_figures(report)["activities"]["journee_rencontre"]["count"] == 3
    found = differences(report.snapshot, saved.live_figures(report))
    assert Difference("activities.journee_rencontre.count", 2, 3) in found
    assert Difference("activities.journee_rencontre.ressourceries", 2, 3) in found
    assert all(d.path.startswith("activities.journee_rencontre.") for d in found)


def test_a_report_is_frozen_once(committee: Any, coordinator: Any) -> None:
    saved.freeze(committee.id, user_id=coordinator.id)
    with pytest.raises(InvalidInput):
        saved.freeze(committee.id, user_id=coordinator.id)


def test_an_unfrozen_report_follows_the_live_figures(
    committee: Any, make_activity: Callable[..., Any], network_year: dict[str, Member]
) -> None:
    make_activity("2024-03-03", "journee_rencontre", members=[network_year["c"]])
    assert saved.figures(committee)["activities"]["journee_rencontre"]["count"] == 3


def test_differences_name_every_changed_added_and_removed_figure() -> None:
    frozen = {"a": {"b": 1, "c": [1, 2]}, "gone": 4, "same": 3, "flag": True}
    live = {"a": {"b": 1.0, "c": [1, 5]}, "new": {"x": None}, "same": 3.0, "flag": 1}
    assert differences(frozen, live) == [
        Difference("a.c[1]", 2, 5),
        Difference("gone", 4, MISSING),
        Difference("flag", True, 1),
        Difference("new.x", MISSING, None),
    ]


# --- Who reads what ------------------------------------------------------------------------------


@pytest.fixture
def creuse_report(committee: Any, coordinator: Any) -> Any:
    report = saved.create_report(
        ReportInput("Comité Creuse 2024", "2024-01-01", "2024-12-31", departement="23"),
        user_id=coordinator.id,
    )
    db.session.commit()
    return report


def test_partners_read_the_saved_reports_of_their_departements(
    committee: Any, creuse_report: Any, make_user: Callable[..., Any], coordinator: Any
) -> None:
    everywhere = make_user("partner", password=None)
    creuse = make_user("partner", password=None, departements=["23"])
    haute_vienne = make_user("partner", password=None, departements=["87"])
    holder = make_user("holder", password=None)
    names = {
        who: [r.name for r in saved.reports_page(user, 1)[1]]
        for who, user in (("coordinator", coordinator), ("everywhere", everywhere),
                          ("creuse", creuse), ("haute_vienne", haute_vienne), ("holder", holder))
    }  # fmt: skip
    assert names["coordinator"] == names["everywhere"] == ["Comité Creuse 2024", COMMITTEE.name]
    assert names["creuse"] == ["Comité Creuse 2024"]
    assert names["haute_vienne"] == names["holder"] == []
    with pytest.raises(NotFound):
        saved.readable_report(creuse, committee.id)


def test_the_command_line_finds_a_report_by_name_or_id(committee: Any) -> None:
    assert saved.find_report("Comité de pilotage 2024").id == committee.id
    assert saved.find_report(str(committee.id)).id == committee.id
    with pytest.raises(NotFound):
        saved.find_report("Comité de pilotage 1999")
