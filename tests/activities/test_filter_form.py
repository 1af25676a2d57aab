"""The ressourcerie filter writes its hundreds of options itself: the same HTML as WTForms'."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.widgets import Select

from accompagnement.activities.forms import FilterForm

MEMBERS = [(1, "A <b>&"), (2, 'Quote "x"'), (30, "Été"), (4, "' onmouseover='x")]


@pytest.mark.parametrize("args", [{}, {"member": "2"}, {"member": "<script>"}])
def test_the_member_select_is_wtforms_select_escaped_the_same(app, args) -> None:
    with app.test_request_context():
        form = FilterForm(MultiDict(args), members=MEMBERS)
        fast = str(form.member())
        assert fast == str(Select()(form.member))
        assert "<b>" not in fast and "<script>" not in fast
        assert ('<option selected value="2">' in fast) == (args.get("member") == "2")
