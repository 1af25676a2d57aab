"""Every table is network-owned or shared, and a network-owned model filters itself."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accompagnement import tenancy
from accompagnement.extensions import db
from accompagnement.projects.models import Project


def owned_tables() -> set[str]:
    return {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if tenancy.is_owned(mapper.class_)
    }


def test_every_table_is_classified_network_owned_or_shared() -> None:
    classified = owned_tables() | tenancy.SHARED | tenancy.LINKS
    missing = sorted(set(db.metadata.tables) - classified)
    assert not missing, (
        "Say whether these tables belong to a network (subclass tenancy.NetworkOwned) or are "
        f"shared (tenancy.SHARED): {', '.join(missing)}"
    )


def test_no_table_is_both_owned_and_shared() -> None:
    assert not owned_tables() & (tenancy.SHARED | tenancy.LINKS)


def test_the_classification_names_only_tables_that_exist() -> None:
    assert not (tenancy.SHARED | tenancy.LINKS) - set(db.metadata.tables)


def test_every_owned_table_has_a_required_network_column() -> None:
    for name in owned_tables():
        column = db.metadata.tables[name].c.network_id
        assert not column.nullable, name
        assert {fk.column.table.name for fk in column.foreign_keys} == {"networks"}, name


def test_a_network_owned_query_outside_any_scope_fails_loudly() -> None:
    token = tenancy.enter(None)
    try:
        with pytest.raises(tenancy.OutsideNetworkScope):
            db.session.scalars(select(Project.id)).all()
    finally:
        tenancy.leave(token)


def test_unscoped_reads_every_network_on_purpose() -> None:
    with tenancy.unscoped():
        assert db.session.scalars(select(Project.id)).all() == []
