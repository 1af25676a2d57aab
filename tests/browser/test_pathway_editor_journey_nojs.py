"""Issue 14's journey with JavaScript disabled: every step of the editor is a plain form post."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_pathway_editor_journey import journey

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_same_journey_without_javascript(
    new_page: Callable[..., Any], in_app: Callable[..., Any], people: dict[str, Any]
) -> None:
    journey(new_page, in_app, javascript=False)
