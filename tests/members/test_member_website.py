"""A member's website: any text gives a clear answer, never a crash."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.members.models import Member


@pytest.mark.parametrize("website", ["http://[x", "https://[::1", "ftp://example.org", "a b.fr"])
def test_a_malformed_web_address_is_refused_next_to_the_field(client, auth, coordinator, website):
    auth.login(coordinator)
    data = {
        "name": "Ressourcerie test",
        "kind": "ressourcerie",
        "insee": "87085",
        "functions": "vente",
        "website": website,
    }
    response = client.post("/members/new", data=data, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code < 500
    assert "A web address starting with https:// is expected." in page
    assert db.session.scalars(select(Member)).all() == []
