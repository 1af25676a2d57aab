"""What a new network's coordinator reads on day one: labels, never internal keys."""

from __future__ import annotations

import re
from typing import Any


def test_the_default_pathway_is_chosen_by_its_label_on_the_network_page(
    client: Any, auth: Any, coordinator: Any, make_network: Any
) -> None:
    make_network()
    auth.login(coordinator)

    html = client.get("/admin/network/", headers={"Accept-Language": "fr"}).get_data(as_text=True)

    select = re.search(r'<select[^>]*id="default_workflow".*?</select>', html, re.S)
    assert select is not None
    shown = re.findall(r"<option[^>]*>([^<]*)</option>", select[0])
    assert "Création d&#39;une ressourcerie" in shown
    assert "creation-ressourcerie" not in shown and "adhesion-reseau" not in shown
    assert 'value="creation-ressourcerie"' in select[0]  # the stored key is unchanged
