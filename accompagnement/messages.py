"""The engine's refusals and field errors worded through the catalogue, in the current language.

The engine answers with codes and parameters (`accompagnement.engine.codes`); this is the one
place that turns them into sentences. Stages, fields, checklist items and choices are named by
their workflow labels; every other word is an English msgid translated in the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from accompagnement.engine import Field, FieldError, Refusal, Stage, Workflow
from accompagnement.i18n import current_language

ROLE_NAMES = {
    "coordinator": _l("the network coordinator"),
    "holder": _l("the project holder"),
}
"""How a refusal names a role ("Only … can do this.")."""

REFUSAL_MESSAGES = {
    "unknown_trigger": _l("Unknown action: %(trigger)s."),
    "not_from_this_stage": _l(
        "The action “%(trigger)s” is not possible from the stage “%(stage)s”."
    ),
    "role_not_allowed": _l("Only %(roles)s can do this."),
    "reason_required": _l("A reason is required."),
    "no_return_stage": _l("The stage to return to is not known."),
    "form_not_submitted": _l("The form of the stage “%(stage)s” has not been submitted."),
    "checklist_incomplete": _l("Missing checklist items (%(stage)s): %(items)s"),
    "too_few_items": _l(
        "At least %(count)s entries are needed in “%(field)s” (%(have)s recorded)."
    ),
    "field_mismatch": _l("“%(field)s” must be “%(value)s” (%(stage)s)."),
}
DRAFTED_MESSAGES = {
    "too_few_items": _l(
        "At least %(count)s submitted entries are needed in “%(field)s”: %(drafted)s entered "
        "in the draft, to be submitted."
    ),
    "form_not_submitted": _l(
        "The form of the stage “%(stage)s” is saved as a draft: it is still to be submitted."
    ),
}
"""The wording of a refusal whose missing part was saved in a draft (`drafted` parameter)."""

FIELD_ERROR_MESSAGES = {
    "required": _l("This field is required."),
    "too_long": _l("At most %(max)s characters."),
    "not_an_integer": _l("A whole number is expected."),
    "not_a_number": _l("A number is expected (for example 1280.5)."),
    "too_large": _l("The number is too large (at most 15 digits before the decimal point)."),
    "below_min": _l("The minimum is %(min)s."),
    "above_max": _l("The maximum is %(max)s."),
    "not_a_date": _l("A date is expected (YYYY-MM-DD or DD/MM/YYYY)."),
    "invalid_choice": _l("Not a valid choice."),
    "invalid_commune": _l("A commune INSEE code is expected (5 characters, for example 87085)."),
    "invalid_member": _l("Not a valid member ressourcerie."),
    "too_few_items": _l("At least %(min)s item(s)."),
    "too_many_items": _l("At most %(max)s item(s)."),
}


@contextmanager
def _language(locale: str | None) -> Iterator[None]:
    """Word in `locale` when one is given, else in the current language."""
    if locale is None or locale == current_language():  # already there: no catalogue reload
        yield
        return
    with force_locale(locale):
        yield


def _fill(template: Any, params: Mapping[str, Any]) -> str:
    """Fill a message, leaving unknown placeholders visible rather than failing."""
    text = str(template)
    try:
        return text % dict(params)
    except (KeyError, TypeError, ValueError):
        return text


def describe_field_error(error: FieldError, locale: str | None = None) -> str:
    """Return a short sentence for a field error (its code when the code is unknown)."""
    message = FIELD_ERROR_MESSAGES.get(error.code)
    if message is None:
        return error.code
    with _language(locale):
        return _fill(message, error.params)


def describe_refusal(refusal: Refusal, workflow: Workflow, locale: str | None = None) -> str:
    """Return a sentence for a refusal, naming stages, fields and items by their labels."""
    message = REFUSAL_MESSAGES.get(refusal.code)
    if message is None:
        return refusal.code
    if refusal.params.get("drafted"):  # saved but not sent: say it must be submitted
        message = DRAFTED_MESSAGES.get(refusal.code, message)
    with _language(locale):
        return _fill(message, _labelled(refusal.params, workflow, current_language()))


def _labelled(params: Mapping[str, Any], workflow: Workflow, language: str) -> dict[str, Any]:
    """Replace keys in refusal parameters by their labels."""
    shown = dict(params)
    stage = workflow.definition.stage(str(params.get("stage", "")))
    if stage is not None:
        shown["stage"] = stage.label.get(language)
        shown.update(_stage_labels(stage, params, language))
    if "roles" in params:
        shown["roles"] = _either([str(ROLE_NAMES.get(r, r)) for r in params["roles"]])
    if "trigger" in params:
        shown["trigger"] = _trigger_label(workflow, str(params["trigger"]), language)
    return shown


def _either(words: list[str]) -> str:
    """Join alternatives: "a or b or c"."""
    joined = words[0] if words else ""
    for word in words[1:]:
        joined = gettext("%(first)s or %(second)s", first=joined, second=word)
    return joined


def _stage_labels(stage: Stage, params: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Label the checklist items, field and value named by a refusal."""
    shown: dict[str, Any] = {}
    if "items" in params:
        labels = {item.key: item.label.get(language) for item in stage.checklist}
        shown["items"] = ", ".join(labels.get(k, k) for k in params["items"])
    field = stage.field(str(params.get("field", "")))
    if field is not None:
        shown["field"] = field.label.get(language)
        if "value" in params:
            shown["value"] = _value_label(field, params["value"], language)
    return shown


def _value_label(field: Field, value: Any, language: str) -> str:
    """Show a field value, by its choice label when it is a choice key."""
    choice = field.choice(str(value))
    if choice is not None:
        return choice.label.get(language)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _trigger_label(workflow: Workflow, trigger: str, language: str) -> str:
    """Label a trigger when all its transitions share one label; else show its key."""
    labels = {
        t.label.get(language) for t in workflow.definition.transitions if t.trigger == trigger
    }
    return labels.pop() if len(labels) == 1 else trigger
