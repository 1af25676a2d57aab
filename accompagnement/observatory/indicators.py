"""The indicators a member reports once a year: keys, groups, units and how to read them.

The keys are stored column names and CSV import columns: they never change. Labels are
translated. Derived figures (total collected, rates, average basket) are computed here, never
typed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

# Kind -> (decimal places, largest accepted value). The maxima keep values inside the columns.
KINDS: dict[str, tuple[int, Decimal]] = {
    "tonnes": (1, Decimal("1000000")),
    "euros": (2, Decimal("1000000000")),
    "count": (0, Decimal("10000000")),
    "fte": (2, Decimal("10000")),  # NUMERIC(7,2)
    "percent": (1, Decimal("100")),
}
UNITS = {"tonnes": "t", "euros": "€", "count": "", "fte": "", "percent": "%"}


# How a figure behaves over time. A flow (tonnes, sales, hours, actions) adds up over a period;
# a stock (headcount, FTE, volunteers, contracts) is a value for a year and never adds up
# across years. (Not to be confused with the "flows" group: tonnes by material flow.)
FLOW = "flow"
STOCK = "stock"


@dataclass(frozen=True)
class Indicator:
    """One reported figure: its stored key, its group, its kind (unit), its label, and whether
    it is a flow or a stock (`over_time`)."""

    key: str
    group: str
    kind: str
    label: Any  # a lazy translated string
    over_time: str = FLOW

    @property
    def places(self) -> int:
        return KINDS[self.kind][0]

    @property
    def maximum(self) -> Decimal:
        return KINDS[self.kind][1]

    @property
    def unit(self) -> str:
        return UNITS[self.kind]


GROUPS: tuple[tuple[str, Any], ...] = (
    ("collected", _l("Tonnes collected by collection mode")),
    ("flows", _l("Tonnes collected by flow")),
    ("outgoing", _l("Tonnes going out by destination")),
    ("sales", _l("Sales")),
    ("staff", _l("Employees")),
    ("contracts", _l("Contracts by type")),
    ("volunteers", _l("Volunteers")),
    ("awareness", _l("Awareness")),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("collected_dropoff", "collected", "tonnes", _l("Drop-off (apport volontaire)")),
    Indicator("collected_dechetterie", "collected", "tonnes", _l("Container at the déchèterie")),
    Indicator("collected_home", "collected", "tonnes", _l("Home pick-up")),
    Indicator("collected_bulky", "collected", "tonnes", _l("Bulky-waste rounds")),
    Indicator("collected_business", "collected", "tonnes", _l("Businesses")),
    Indicator("flow_furniture", "flows", "tonnes", _l("Furniture")),
    Indicator("flow_electrical", "flows", "tonnes", _l("Electrical goods")),
    Indicator("flow_textile", "flows", "tonnes", _l("Textile")),
    Indicator("flow_books", "flows", "tonnes", _l("Books")),
    Indicator("flow_tableware", "flows", "tonnes", _l("Tableware and objects")),
    Indicator("flow_toys", "flows", "tonnes", _l("Toys")),
    Indicator("flow_bikes", "flows", "tonnes", _l("Bikes")),
    Indicator("flow_other", "flows", "tonnes", _l("Other")),
    Indicator("out_sale", "outgoing", "tonnes", _l("Reuse by sale")),
    Indicator("out_donation", "outgoing", "tonnes", _l("Reuse by donation")),
    Indicator("out_recycling", "outgoing", "tonnes", _l("Recycling")),
    Indicator("out_disposal", "outgoing", "tonnes", _l("Disposal")),
    Indicator("turnover", "sales", "euros", _l("Sales turnover")),
    Indicator("sales_count", "sales", "count", _l("Number of sales")),
    Indicator("headcount", "staff", "count", _l("Headcount"), STOCK),
    Indicator("fte", "staff", "fte", _l("Full-time equivalents (FTE)"), STOCK),
    Indicator("women_percent", "staff", "percent", _l("Women"), STOCK),
    Indicator("contracts_permanent", "contracts", "count", _l("Permanent"), STOCK),
    Indicator("contracts_fixed_term", "contracts", "count", _l("Fixed-term"), STOCK),
    Indicator("contracts_subsidised", "contracts", "count", _l("Subsidised"), STOCK),
    Indicator("contracts_integration", "contracts", "count", _l("Work integration"), STOCK),
    Indicator("volunteers", "volunteers", "count", _l("Number of volunteers"), STOCK),
    Indicator("volunteer_hours", "volunteers", "count", _l("Volunteer hours")),
    Indicator("awareness_actions", "awareness", "count", _l("Awareness actions")),
    Indicator("people_reached", "awareness", "count", _l("People reached")),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS)
FLOW_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS if i.over_time == FLOW)
STOCK_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS if i.over_time == STOCK)


def keys_of(group: str) -> tuple[str, ...]:
    """Return the indicator keys of one group, in display order."""
    return tuple(i.key for i in INDICATORS if i.group == group)


MODES = keys_of("collected")
FLOWS = keys_of("flows")
OUTGOING = keys_of("outgoing")
CONTRACTS = keys_of("contracts")
REUSE = ("out_sale", "out_donation")
RECOVERY = ("out_sale", "out_donation", "out_recycling")

Values = Mapping[str, Any]


def sum_of(values: Values, keys: Iterable[str]) -> Decimal | None:
    """Add the given figures; None when none of them was given."""
    given = [Decimal(values[k]) for k in keys if values.get(k) is not None]
    return sum(given, Decimal(0)) if given else None


def total_collected(values: Values) -> Decimal | None:
    """Return the tonnes collected: by collection mode, else by flow, else unknown."""
    by_mode = sum_of(values, MODES)
    return by_mode if by_mode is not None else sum_of(values, FLOWS)


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """Return part/whole as a percentage with one decimal; None when it cannot be computed."""
    if part is None or not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ratio(part: Decimal | None, whole: Decimal | None, places: int = 2) -> Decimal | None:
    """Return part/whole rounded to `places` decimals; None when it cannot be computed."""
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@dataclass(frozen=True)
class Derived:
    """Figures computed from a report, never typed."""

    total_collected: Decimal | None
    reuse_rate: Decimal | None
    recovery_rate: Decimal | None
    average_basket: Decimal | None


def derive(values: Values) -> Derived:
    """Compute the derived figures of one report."""
    collected = total_collected(values)
    sales = values.get("sales_count")
    return Derived(
        total_collected=collected,
        reuse_rate=percent(sum_of(values, REUSE), collected),
        recovery_rate=percent(sum_of(values, RECOVERY), collected),
        average_basket=ratio(values.get("turnover"), Decimal(sales) if sales else None),
    )
