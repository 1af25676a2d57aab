"""The shared SVG chart helpers: accessible, escaped, and without inline style."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from accompagnement.charts import Bar, bar_chart, funnel_chart

SVG = "{http://www.w3.org/2000/svg}"
PAYLOAD = '<script>alert("x")</script>&"\''


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_bar_chart_is_a_named_and_described_image(horizontal):
    svg = bar_chart(
        [Bar("Creuse", 4), ("Corrèze", 2)],
        chart_id="by-dep",
        title="Projects by département",
        description="Creuse: 4; Corrèze: 2",
        horizontal=horizontal,
    )
    root = parse(svg)

    assert isinstance(svg, Markup)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "by-dep-title by-dep-desc"
    assert root.find(f"{SVG}title").get("id") == "by-dep-title"
    assert root.find(f"{SVG}title").text == "Projects by département"
    assert root.find(f"{SVG}desc").text == "Creuse: 4; Corrèze: 2"
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    width = "width" if horizontal else "height"
    assert float(bars[0].get(width)) == pytest.approx(2 * float(bars[1].get(width)))
    assert [t.text for t in root.iter(f"{SVG}text")].count("4") == 1


@pytest.mark.parametrize("build", [bar_chart, funnel_chart])
def test_labels_titles_and_values_are_escaped(build):
    svg = build(
        [Bar(PAYLOAD, 3, text=PAYLOAD)],
        chart_id="c1",
        title=PAYLOAD,
        description=PAYLOAD,
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == PAYLOAD


def test_markup_passed_as_a_label_is_still_escaped():
    svg = bar_chart([Bar(Markup("<b>bold</b>"), 1)], chart_id="c", title="t", description="d")
    assert "<b>" not in svg
    assert "&lt;b&gt;bold" in svg


def test_an_unsafe_chart_id_is_refused():
    with pytest.raises(ValueError):
        bar_chart([("a", 1)], chart_id='x" onload="alert(1)', title="t", description="d")


def test_no_inline_style_or_script():
    svg = str(funnel_chart([("a", 10), ("b", 5)], chart_id="f", title="t", description="d"))
    assert "style" not in svg
    assert "<script" not in svg
    assert " on" not in svg.replace(" one", "")


def test_the_funnel_centres_bars_and_gives_the_share_of_the_first_step():
    root = parse(
        funnel_chart(
            [("Contact", 10), ("Visit", 5), ("Open", 0)], chart_id="f", title="t", description="d"
        )
    )
    first, second, third = root.findall(f"{SVG}rect")
    centre = float(first.get("x")) + float(first.get("width")) / 2
    assert float(second.get("x")) + float(second.get("width")) / 2 == pytest.approx(centre, abs=0.2)
    assert float(third.get("width")) == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "5 (50 %)" in texts and "0 (0 %)" in texts


def test_empty_and_zero_data_give_a_valid_chart():
    for svg in (
        bar_chart([], chart_id="e", title="t", description="d"),
        bar_chart([("a", 0)], chart_id="z", title="t", description="d", horizontal=False),
        funnel_chart([("a", 0)], chart_id="f", title="t", description="d"),
    ):
        assert parse(svg).get("role") == "img"


def test_long_labels_are_shortened_in_the_drawing_but_kept_whole_in_the_tooltip():
    label = "Étude de faisabilité technique, juridique et financière du projet"
    root = parse(bar_chart([(label, 1)], chart_id="l", title="t", description="d"))
    shown = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t.endswith("…") and len(t) <= 32 for t in shown)
    assert root.find(f"{SVG}rect/{SVG}title").text == f"{label}: 1"
