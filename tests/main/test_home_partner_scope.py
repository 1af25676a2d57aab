"""The home page of a partner limited to some départements shows only their projects (issue 8.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_a_partner_limited_to_creuse_sees_only_creuse_projects_on_the_home_page(
    client: Any, auth: Any, make_user: Callable[..., Any], make_project: Callable[..., Any]
) -> None:
    make_project("Recyclerie de Guéret", commune="23096")
    make_project("Ressourcerie de Tulle", commune="19272")
    make_project("Ressourcerie de Limoges", commune="87085")
    partner = make_user("partner", departements=["23"])
    auth.login(partner)

    page = client.get("/").get_data(as_text=True)

    assert "Recyclerie de Guéret" in page
    assert "Ressourcerie de Tulle" not in page
    assert "Ressourcerie de Limoges" not in page


def test_an_unlimited_partner_sees_every_project_on_the_home_page(
    client: Any, auth: Any, make_user: Callable[..., Any], make_project: Callable[..., Any]
) -> None:
    make_project("Recyclerie de Guéret", commune="23096")
    make_project("Ressourcerie de Tulle", commune="19272")
    auth.login(make_user("partner"))

    page = client.get("/").get_data(as_text=True)

    assert "Recyclerie de Guéret" in page
    assert "Ressourcerie de Tulle" in page
