"""The editor's names of what a pathway is made of: kinds of items, field types, roles, guards.

English message ids, translated in the catalogue; the stored keys are the engine's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_NAMES = {
    "stage": _l("Stage"),
    "field": _l("Field"),
    "subfield": _l("Field of the group"),
    "choice": _l("Choice"),
    "item": _l("Checklist item"),
    "task": _l("Task template"),
    "transition": _l("Transition"),
    "guard": _l("Condition"),
}
LIST_NAMES = {
    "stage": _l("Stages"),
    "field": _l("Form fields"),
    "subfield": _l("Fields of each item of the group"),
    "choice": _l("Choices"),
    "item": _l("Checklist"),
    "task": _l("Tasks created on entering the stage"),
    "transition": _l("Transitions"),
    "guard": _l("Conditions (guards)"),
}
FIELD_TYPE_NAMES = {
    "text": _l("Short text"),
    "long_text": _l("Long text"),
    "integer": _l("Whole number"),
    "decimal": _l("Decimal number"),
    "money": _l("Amount in euros"),
    "date": _l("Date"),
    "boolean": _l("Yes / no"),
    "choice": _l("One choice in a list"),
    "multi_choice": _l("Several choices in a list"),
    "commune": _l("Commune (INSEE code)"),
    "member": _l("Member ressourcerie"),
    "departement": _l("Département of the network"),
    "organisation": _l("Partner organisation"),
    "group": _l("Repeating group of fields"),
}
STAGE_KIND_NAMES = {
    "stage": _l("Step of the pathway"),
    "hold": _l("Side state (on hold)"),
    "final": _l("Final outcome"),
}
ROLE_NAMES = {"coordinator": _l("Coordinator"), "holder": _l("Project holder")}
ASSIGNEE_NAMES = {"holders": _l("The project's holders"), "coordinator": _l("The coordinator")}
REASON_NAMES = {
    "none": _l("No reason asked"),
    "optional": _l("Reason optional"),
    "required": _l("Reason required"),
}
GUARD_NAMES = {
    "form_submitted": _l("The stage form is submitted"),
    "checklist_complete": _l("The required checklist items are ticked"),
    "min_items": _l("A repeating group has at least a number of items"),
    "field_equals": _l("A field has a given value"),
}
