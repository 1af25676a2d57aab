"""Accessible SVG charts built on the server: horizontal and vertical bars, and a funnel.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby``), drawn with CSS classes only (no inline style: the CSP forbids it), and
must be shown next to a table of the same numbers (``templates/macros/charts.html``).

Safety: the markup is assembled only from constant templates and escaped values. Each label,
title and value is turned into plain text and passed through ``markupsafe.escape`` (a Markup
label is escaped too: labels are never HTML) before it fills a constant template; coordinates
are numbers formatted here; the chart id must match a strict pattern; the parts become Markup
once, whole (``_svg``): Markup.format on every element cost more than the rest of a chart. Usage::

    from accompagnement.charts import Bar, bar_chart
    svg = bar_chart([Bar("Creuse", 4), Bar("Corrèze", 2)], chart_id="by-dep",
                    title=_("Projects by département"), description=_("4 in Creuse, 2 in..."))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,60}$")
CHAR_WIDTH = 7.0  # average width of a 12px character, to size label columns
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_MAX_CHARS = 32
SLOT_MAX = 110  # widest column of a vertical chart, so one bar is not a wall


@dataclass(frozen=True)
class Bar:
    """One value of a chart; `text` is how the value is written (defaults to the number)."""

    label: str
    value: float
    text: str | None = None
    alt: bool = False

    @property
    def shown(self) -> str:
        """Return the value as written next to the bar."""
        if self.text is not None:
            return self.text
        return format_number(self.value)


BarLike = Bar | tuple[str, float]


def format_number(value: float) -> str:
    """Write a number briefly: whole numbers without decimals, others with one."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def _bars(data: Sequence[BarLike]) -> list[Bar]:
    return [d if isinstance(d, Bar) else Bar(str(d[0]), float(d[1])) for d in data]


def _plain(value: object) -> str:
    """Escape a value as text, even when it is already Markup (labels are never HTML)."""
    return str(escape(str(value)))


def _check_id(chart_id: str) -> str:
    if not ID_PATTERN.match(chart_id):
        raise ValueError(f"invalid chart id {chart_id!r}")
    return chart_id


def _short(label: str, limit: int = LABEL_MAX_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    """Write a coordinate with at most one decimal (a plain number, safe in an attribute)."""
    return format_number(round(float(value), 1))


def _open(chart_id: str, width: float, height: float, title: str, description: str) -> str:
    ident, w, h = _check_id(chart_id), _n(width), _n(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{_plain(title)}</title>'
        f'<desc id="{ident}-desc">{_plain(description)}</desc>'
    )


def _rect(x: float, y: float, width: float, height: float, bar: Bar) -> str:
    css = "bar alt" if bar.alt else "bar"
    return (
        f'<rect class="{css}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}">'
        f"<title>{_plain(bar.label)}: {_plain(bar.shown)}</title></rect>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", css: str = "") -> str:
    anchor = anchor if anchor in ("start", "middle", "end") else "start"
    css_attribute = f' class="{_plain(css)}"' if css else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{css_attribute}>'
        f"{_plain(content)}</text>"
    )


def _svg(parts: list[str]) -> Markup:
    svg = "".join(parts) + "</svg>"
    return Markup(svg)  # noqa: S704  # markup-reviewed: templates, numbers, escaped text


def _scale(bars: Sequence[Bar]) -> float:
    top = max((b.value for b in bars), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(
    data: Sequence[BarLike],
    *,
    chart_id: str,
    title: str,
    description: str,
    horizontal: bool = True,
    width: int = 640,
) -> Markup:
    """Return an accessible SVG bar chart (horizontal by default) of labelled values."""
    bars = _bars(data)
    if horizontal:
        return _horizontal(bars, chart_id, title, description, width)
    return _vertical(bars, chart_id, title, description, width)


def _horizontal(bars: list[Bar], chart_id: str, title: str, desc: str, width: int) -> Markup:
    label_w = min(max((len(_short(b.label)) for b in bars), default=4) * CHAR_WIDTH + 12, 240)
    value_w = max((len(b.shown) for b in bars), default=1) * CHAR_WIDTH + 12
    plot_w = max(width - label_w - value_w, 60)
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    top = _scale(bars)
    parts = [_open(chart_id, width, height, title, desc)]
    for i, bar in enumerate(bars):
        y = 4 + i * ROW_HEIGHT
        bar_w = max(plot_w * max(bar.value, 0) / top, 0)
        parts.append(_text(label_w - 8, y + BAR_HEIGHT - 4, _short(bar.label), "end"))
        parts.append(_rect(label_w, y, bar_w, BAR_HEIGHT, bar))
        parts.append(_text(label_w + bar_w + 6, y + BAR_HEIGHT - 4, bar.shown, css="value"))
    return _svg(parts)


def _vertical(bars: list[Bar], chart_id: str, title: str, desc: str, width: int) -> Markup:
    plot_h, label_h, value_h = 180, 24, 18
    slot = min(max(width / max(len(bars), 1), 24), SLOT_MAX)
    width = int(max(slot * len(bars), 120))
    height = value_h + plot_h + label_h
    top = _scale(bars)
    chars = max(int(slot / CHAR_WIDTH) - 1, 3)
    parts = [_open(chart_id, width, height, title, desc)]
    for i, bar in enumerate(bars):
        x = i * slot
        bar_h = plot_h * max(bar.value, 0) / top
        y = value_h + plot_h - bar_h
        parts.append(_rect(x + slot * 0.2, y, slot * 0.6, bar_h, bar))
        parts.append(_text(x + slot / 2, y - 4, bar.shown, "middle", css="value"))
        parts.append(_text(x + slot / 2, height - 6, _short(bar.label, chars), "middle"))
    return _svg(parts)


def funnel_chart(
    data: Sequence[BarLike],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 640,
) -> Markup:
    """Return an accessible SVG funnel: centred bars, each with its share of the first step."""
    bars = _bars(data)
    label_w = min(max((len(_short(b.label)) for b in bars), default=4) * CHAR_WIDTH + 12, 240)
    value_w = 110
    plot_w = max(width - label_w - value_w, 60)
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    first = bars[0].value if bars else 0.0
    top = _scale(bars)
    parts = [_open(chart_id, width, height, title, description)]
    for i, bar in enumerate(bars):
        y = 4 + i * ROW_HEIGHT
        bar_w = plot_w * max(bar.value, 0) / top
        x = label_w + (plot_w - bar_w) / 2
        share = f"{bar.shown} ({share_percent(bar.value, first)} %)"
        parts.append(_text(label_w - 8, y + BAR_HEIGHT - 4, _short(bar.label), "end"))
        parts.append(_rect(x, y, bar_w, BAR_HEIGHT, bar))
        parts.append(_text(label_w + plot_w + 6, y + BAR_HEIGHT - 4, share, css="value"))
    return _svg(parts)


def share_percent(value: float, first: float) -> int:
    """Return `value` as a whole percentage of `first` (0 when `first` is 0)."""
    return round(100 * value / first) if first else 0
