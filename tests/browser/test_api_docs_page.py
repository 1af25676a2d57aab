"""The API documentation page draws the document with the vendored Swagger UI, CSP intact."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_every_endpoint_without_breaking_the_csp(new_page, people):
    page = new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/projects/{project_id}/transitions" in path for path in paths)
    assert violations == []
