"""Stored XSS (ASVS V1.2.1, V3.2.2): a payload kept in names, project name and comments comes out
escaped on every HTML page, for every role. Pages come from the URL map (parameters filled with
the ids of the planted objects), so pages added later are covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from security_suite import PAYLOAD, WHO, crawl, make_people

# What must never reach a page unescaped: the payload's tags, whatever wraps them.
DANGEROUS = ("<script>alert(", "<img src=x onerror", "\"'><img")


@pytest.fixture
def poisoned(make_user: Callable[..., Any]) -> Any:
    return make_people(make_user, name=" " + PAYLOAD)


@pytest.mark.parametrize("who", WHO)
def test_stored_payloads_come_out_escaped(app: Flask, poisoned: Any, who: str) -> None:
    problems = []
    pages = 0
    seen_escaped = False
    for visit in crawl(app, poisoned, who):
        if not visit.response.content_type.startswith("text/html"):
            continue
        pages += 1
        page = visit.response.get_data(as_text=True)
        seen_escaped = seen_escaped or "&lt;script&gt;alert(" in page
        found = [snippet for snippet in DANGEROUS if snippet in page]
        if found:
            problems.append(f"GET {visit.url} ({visit.rule.endpoint}) as {who} shows {found}")
    assert pages > 3
    assert problems == [], "\n".join(problems)
    if who != "anonymous":
        assert seen_escaped, "the payload should appear, escaped, on some page (header name)"


def test_the_check_can_fail(app: Flask, poisoned: Any) -> None:
    """A template printing the payload with |safe would be caught."""
    with app.test_request_context():
        from flask import render_template_string

        unsafe = render_template_string("{{ value|safe }}", value=PAYLOAD)  # noqa: S704
        escaped = render_template_string("{{ value }}", value=PAYLOAD)
    assert any(snippet in unsafe for snippet in DANGEROUS)
    assert not any(snippet in escaped for snippet in DANGEROUS)
