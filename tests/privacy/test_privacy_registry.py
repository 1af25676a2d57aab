"""Every column of the database is classified for the GDPR, and the classification holds up."""

from __future__ import annotations

from accompagnement.audit.guard import TRIGGER_COLUMNS
from accompagnement.extensions import db
from accompagnement.privacy.personal_data import REGISTRY, Erasure, stale, unclassified


def test_every_column_of_every_table_is_classified() -> None:
    missing = unclassified(db.metadata)
    assert not missing, (
        "Classify these columns in accompagnement/privacy/personal_data.py (personal or not, "
        f"retention, exported, erasure): {', '.join(missing)}"
    )


def test_the_registry_names_only_columns_that_exist() -> None:
    assert not stale(db.metadata), "Remove or rename these registry entries"


def test_the_append_only_tables_are_never_rewritten_by_anonymisation() -> None:
    for table in TRIGGER_COLUMNS:
        erasures = {c.erasure for c in REGISTRY[table].columns.values()}
        assert erasures == {Erasure.KEEP}, table


def test_personal_data_kept_on_anonymisation_says_why() -> None:
    unexplained = [
        f"{name}.{column}"
        for name, table in REGISTRY.items()
        for column, kind in table.columns.items()
        if kind.personal and kind.erasure is Erasure.KEEP and not kind.note
    ]
    assert not unexplained


def test_secrets_are_never_exported() -> None:
    for name, table in REGISTRY.items():
        for column, kind in table.columns.items():
            if kind.note == "secret" or "password" in column or "token" in column:
                assert not kind.exported, f"{name}.{column}"


def test_tables_with_personal_data_say_how_to_find_the_person() -> None:
    for name, table in REGISTRY.items():
        if any(kind.personal for kind in table.columns.values()):
            assert table.owner or table.email or table.project, name


def test_links_to_a_person_are_real_references() -> None:
    for name, table in REGISTRY.items():
        columns = db.metadata.tables[name].columns
        for column in table.owner:
            if name == "users":
                assert column == "id"
                continue
            targets = {fk.target_fullname for fk in columns[column].foreign_keys}
            assert targets == {"users.id"}, f"{name}.{column}"
        if table.project:
            targets = {fk.target_fullname for fk in columns[table.project].foreign_keys}
            assert targets == {"projects.id"} or name == "projects", f"{name}.{table.project}"
        for column in table.email:
            assert column in columns


def test_erasures_that_rewrite_a_value_fit_the_column() -> None:
    """A pseudonym, an address or a token needs a text column; NULL needs a nullable one."""
    for name, table in REGISTRY.items():
        columns = db.metadata.tables[name].columns
        for column, kind in table.columns.items():
            if kind.erasure is Erasure.NULL:
                assert columns[column].nullable, f"{name}.{column}"
            if kind.erasure in {Erasure.PSEUDONYM, Erasure.EMAIL, Erasure.FILENAME}:
                assert "id" in columns, f"{name}.{column} needs the row id"
