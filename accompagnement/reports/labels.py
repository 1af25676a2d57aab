"""The wording of the steering committee report, from the catalogue, in the report's language.

The report is a document for funders, written in a language chosen for it (`--lang`, or the
reader's interface language), so every piece is worded under `force_locale(lang)`. The French
wording follows the ADEME action sheet the network reports against ("Résultats quantitatifs");
where it differs from the interface's wording of the same English words, the message carries
the "report" context. Activity types and visitors are named by `accompagnement.activities`.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p

from accompagnement.activities.models import (
    TYPE_PLURAL_LABELS,
    VISITOR_REPORT_LABELS,
    ActivityType,
    VisitorType,
)

ACTIVITY_TYPES = tuple(t.value for t in ActivityType)
VISITORS = tuple(v.value for v in VisitorType)
LANGUAGES = ("fr", "en")

OBSERVATORY_LABELS = {
    "reports": _l("Yearly reports received"),
    "collected_t": _l("Tonnes collected"),
    "collected_dropoff": _l("of which drop-off (t)"),
    "collected_dechetterie": _l("of which déchèterie container (t)"),
    "collected_home": _l("of which home pick-up (t)"),
    "collected_bulky": _l("of which bulky-waste rounds (t)"),
    "collected_business": _l("of which businesses (t)"),
    "flow_furniture": _l("Furniture (t)"),
    "flow_electrical": _l("Electrical goods (t)"),
    "flow_textile": _l("Textile (t)"),
    "flow_books": _l("Books (t)"),
    "flow_tableware": _l("Tableware and objects (t)"),
    "flow_toys": _l("Toys (t)"),
    "flow_bikes": _l("Bikes (t)"),
    "flow_other": _l("Other flows (t)"),
    "out_sale": _l("Reuse by sale (t)"),
    "out_donation": _l("Reuse by donation (t)"),
    "out_recycling": _l("Recycling (t)"),
    "out_disposal": _l("Disposal (t)"),
    "reuse_rate_percent": _l("Reuse rate (%)"),
    "recovery_rate_percent": _l("Recovery rate (%)"),
    "turnover": _p("report", "Sales turnover (€)"),
    "sales_count": _l("Number of sales"),
    "average_basket_eur": _l("Average basket (€)"),
    "headcount": _p("report", "Employees"),
    "fte": _l("Full-time equivalents (FTE)"),
    "women_percent": _l("Women (%)"),
    "contracts_permanent": _p("report", "Permanent contracts"),
    "contracts_fixed_term": _p("report", "Fixed-term contracts"),
    "contracts_subsidised": _l("Subsidised contracts"),
    "contracts_integration": _l("Work-integration contracts"),
    "volunteers": _l("Volunteers"),
    "volunteer_hours": _l("Volunteer hours"),
    "awareness_actions": _l("Awareness actions (observatory)"),
    "people_reached": _l("People reached"),
}

TEXTS = {
    "title": _p("report", "Report to the steering committee"),
    "network": _l("Regional network of ressourceries"),
    "period": _l("Period from %(start)s to %(end)s"),
    "activities": _l("Network activities"),
    "activity_type": _l("Type of activity"),
    "count": _l("Number"),
    "ressourceries": _l("Ressourceries involved"),
    "activities_note": _l(
        "Activities carried out during the period (planned ones are not counted)."
    ),
    "visits": _l("Visits of ressourceries"),
    "visitors": _l("Visitors"),
    "total_visits": _l("All visits"),
    "members": _l("Membership"),
    "new_members": _l("Ressourceries that joined the network"),
    "stage_at": _l("Stage on %(date)s"),
    "projects_count": _l("Projects"),
    "movements": _l("During the period"),
    "transitions": _l("Stage changes"),
    "opened": _l("Ressourceries opened"),
    "observatory": _l("Regional observatory (%(years)s)"),
    "indicator": _l("Indicator"),
    "value": _l("Value"),
    "observatory_note": _l(
        "The members' yearly reports for the years the period covers. Flows (tonnes, sales, "
        "hours, actions) add up over the period; stocks (employees, FTE, volunteers, "
        "contracts) are values for a year and have no total."
    ),
    "period_total": _l("Period total"),
    "departements_cut": _l("Départements: %(names)s"),
    "plan": _l("Yearly plan and what was done"),
    "planned_a_year": _l("Planned a year"),
    "done_in": _l("Done in %(year)s"),
    "part_of_year": _l("%(year)s (%(start)s to %(end)s)"),
    "plan_note": _l(
        "The plan is the network's yearly plan as set today; a year the period covers in part "
        "shows what was done in that part."
    ),
    "no_plan": _l("No yearly plan is recorded in the network's settings."),
    "planned_bar": _l("%(name)s: planned a year"),
    "done_bar": _l("%(name)s: done in %(year)s"),
    "projects_of": _l("Projects supported: %(workflow)s"),
    "accompanied": _l("Accompanied during the period"),
    "accompanied_total": _l("Projects accompanied"),
    "departement": _l("Département"),
    "no_commune": _l("No commune"),
    "projects_by_departement": _l("Projects by département"),
    "no_project": _l("No project."),
    "openings": _l("Ressourceries opened"),
    "opening": _l("Ressourcerie"),
    "opened_on": _l("Opened on"),
    "fte_at_opening": _l("Jobs at opening (FTE)"),
    "first_years_fte": _l("FTE in the first years"),
    "first_years_tonnes": _l("Tonnes collected in the first years"),
    "openings_note": _l(
        "Projects that opened during the period, with the figures the ressourcerie they "
        "became reported to the observatory for its first three years."
    ),
    "year_value": _l("%(year)s: %(value)s"),
    "no_opening": _l("No ressourcerie opened during the period."),
    "accompaniment_time": _l("Accompaniment time"),
    "stage": _l("Stage"),
    "hours": _l("Hours"),
    "total": _l("Total"),
    "time_note": _l(
        "Time the coordination recorded in %(exchanges)s exchanges (meetings, calls, visits on "
        "site, workshops, e-mails) with %(projects)s projects during the period."
    ),
    "partners": _l("Partners"),
    "organisation": _l("Organisation"),
    "no_partner": _l("No partner recorded."),
    "section": _l("Section"),
    "item": _l("Item"),
    "generated": _l("Produced on %(date)s from the recorded data."),
    "highlights": _l("Highlights"),
    "difficulties": _l("Difficulties"),
    "outlook": _l("Outlook"),
    "paragraph": _l("Paragraph"),
    "frozen": _l("Figures as frozen on %(date)s, when the report was presented."),
    "scope": _l("Département: %(departement)s"),
}
# The national report's wording where it differs from a network's: the same sections, added up.
NATIONAL_TEXTS = {
    "title": _p("report", "National activity report"),
    "activities": _l("Activities of the networks"),
    "new_members": _l("Ressourceries that joined a network"),
    "observatory": _l("National observatory (%(years)s)"),
    "plan_note": _l(
        "The plan is the sum of the networks' yearly plans as set today; a year the period "
        "covers in part shows what was done in that part."
    ),
    "no_plan": _l("No yearly plan is recorded in the networks' settings."),
    "time_note": _l(
        "Time the networks' coordinations recorded in %(exchanges)s exchanges (meetings, calls, "
        "visits on site, workshops, e-mails) with %(projects)s projects during the period."
    ),
}


def _worded(message: object, lang: str) -> str:
    """Render a catalogue message in the report's language."""
    with force_locale(lang):
        return str(message)


def text(key: str, lang: str, *, national: bool = False, **params: object) -> str:
    """Return a piece of the report's wording in a language, with %(name)s filled in; the
    national report's wording of it when asked and it has one."""
    message = NATIONAL_TEXTS.get(key, TEXTS[key]) if national else TEXTS[key]
    phrase = _worded(message, lang)
    return phrase % params if params else phrase


def activity_label(key: str, lang: str) -> str:
    """Return the report's name of an activity type."""
    return _worded(TYPE_PLURAL_LABELS.get(key, key), lang)  # type: ignore[call-overload]


def visitor_label(key: str, lang: str) -> str:
    """Return the report's name of a kind of visitor."""
    return _worded(VISITOR_REPORT_LABELS.get(key, key), lang)  # type: ignore[call-overload]


def observatory_label(key: str, lang: str) -> str:
    """Return the report's name of an observatory figure."""
    return _worded(OBSERVATORY_LABELS.get(key, key), lang)
