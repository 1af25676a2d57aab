"""No GET changes data (checklist 8): every table is identical before and after each GET.

Every GET route of the URL map is visited as anonymous and as each role; the whole content of
every table (not only its row count) is compared around each request.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from security_suite import WHO, People, build_url, changed_tables, client_for, rules, table_contents

from accompagnement.extensions import db
from accompagnement.projects.models import Project


@pytest.mark.parametrize("who", WHO)
def test_get_requests_write_nothing(app: Flask, people: People, who: str) -> None:
    client = client_for(app, who, people)  # signing in writes (last sign-in): before the check
    problems = []
    for rule in rules(app, {"GET"}):
        url = build_url(app, rule)
        before = table_contents()
        status = client.get(url).status_code
        changed = changed_tables(before, table_contents())
        if changed:
            problems.append(f"GET {url} ({rule.endpoint}) as {who} -> {status} changed {changed}")
    assert problems == [], "\n".join(problems)


def test_the_snapshot_sees_a_change(app: Flask, people: People) -> None:
    """The comparison can fail: an update of one column is noticed."""
    before = table_contents()
    db.session.execute(sa.update(Project).values(name="Renamed"))
    db.session.commit()
    assert changed_tables(before, table_contents()) == ["projects"]
