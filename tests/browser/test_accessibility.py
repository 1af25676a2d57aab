"""Every main page passes axe-core (no serious or critical violation), on desktop and phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_accessibility, login

pytestmark = pytest.mark.browser

PAGES = {
    "coord@example.org": [
        "/projects/",
        "/projects/new",
        "/activities/",
        "/activities/new",
        "/members/",
        "/observatory/",
        "/reports/",
        "/reminders/",
        "/admin/users",
        "/admin/network/",
        "/partners/",
    ],
    "porteuse@example.org": ["/projects/mine"],
    "ademe@example.org": ["/partners/", "/members/", "/reports/"],
}


def test_the_login_page_is_accessible(page):
    page.goto("/auth/login")
    check_accessibility(page)
    assert page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize("email", sorted(PAGES))
def test_main_pages_are_accessible(new_page, people: Any, email: str):
    page = new_page()
    login(page, email)
    for path in PAGES[email]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        check_accessibility(page)


def test_the_project_page_is_accessible_on_a_phone(new_page, people: Any):
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    login(page, "coord@example.org")
    page.goto(f"/projects/{people['project']}")
    check_accessibility(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways on a phone ({width}px)"
