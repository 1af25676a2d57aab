"""The engine's refusals, field errors and definition problems, worded in the current language.

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

from accompagnement.engine import DefinitionProblem, Field, FieldError, Refusal, Stage, Workflow
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


WHAT_NAMES = {
    "type": _l("field type"),
    "kind": _l("stage kind"),
    "reason": _l("reason policy"),
    "roles": _l("role"),
    "assignee": _l("task assignee"),
    "value": _l("value"),
}
"""How an unknown enumerated value names what it is."""
PATTERN_HINTS = {
    "name": _l("a lowercase name with hyphens, like 'creation-ressourcerie'"),
    "key": _l("lowercase letters, digits and _, starting with a letter, like 'premier_contact'"),
    "trigger": _l("lowercase letters, digits and _, starting with a letter, like 'advance'"),
    "other": _l("a key of lowercase letters, digits and _"),
}

PROBLEM_MESSAGES = {
    "unreadable_file": _l("cannot read the file: %(reason)s"),
    "unreadable_directory": _l("cannot read the directory: %(reason)s"),
    "not_utf8": _l("cannot read the file: not UTF-8 text"),
    "invalid_yaml": _l("invalid YAML: %(reason)s"),
    "duplicate_yaml_key": _l("duplicate key '%(key)s' (first written at line %(first)s)"),
    "empty_definition": _l("expected a workflow definition (a mapping), got an empty text"),
    "not_a_definition": _l("expected a workflow definition (a mapping), got %(found)s"),
    "duplicate_version": _l("%(name)s version %(version)s is already defined in %(origin)s"),
    "second_default": _l("only one workflow may be the default; %(name)s already is (%(origin)s)"),
    "name_taken": _l(
        "the name %(name)s is already used by %(origin)s; a network's workflow needs a name of "
        "its own"
    ),
    "missing_french_label": _l("a French label ('fr') is required"),
    "missing_key": _l("required key '%(key)s' is missing"),
    "unknown_key": _l("unknown key '%(key)s'; expected one of: %(allowed)s"),
    "unknown_value": _l("unknown %(what)s %(value)s; expected one of: %(allowed)s"),
    "expected_text": _l("expected text, got %(value)s"),
    "expected_integer": _l("expected a whole number, got %(value)s"),
    "expected_boolean": _l("expected true or false, got %(value)s"),
    "expected_list": _l("expected a list, got %(value)s"),
    "expected_mapping": _l("expected a mapping (key: value), got %(value)s"),
    "pattern_mismatch": _l("invalid value %(value)s; expected %(hint)s"),
    "empty": _l("must not be empty"),
    "too_few_entries": _l("expected at least %(min)s item(s)"),
    "not_greater_than": _l("expected a number > %(bound)s, got %(value)s"),
    "below_minimum": _l("expected a number >= %(bound)s, got %(value)s"),
    "above_maximum": _l("expected a number <= %(bound)s, got %(value)s"),
    "expected_number": _l("expected a number"),
    "invalid_source": _l("expected a stage key, a non-empty list of stage keys, or '*'"),
    "invalid_guard": _l("expected a guard name, or a mapping {guard_name: {param: value}}"),
    "invalid_value": _l("invalid value: %(detail)s"),
    "duplicate_stage_key": _l("duplicate stage key '%(key)s' (already used by %(first)s)"),
    "duplicate_checklist_item_key": _l(
        "duplicate checklist item key '%(key)s' (already used by %(first)s)"
    ),
    "duplicate_task_key": _l("duplicate task key '%(key)s' (already used by %(first)s)"),
    "duplicate_field_key": _l("duplicate field key '%(key)s' (already used by %(first)s)"),
    "duplicate_choice_key": _l("duplicate choice key '%(key)s' (already used by %(first)s)"),
    "attribute_not_applicable": _l(
        "'%(attribute)s' does not apply to %(type)s fields; only to: %(types)s"
    ),
    "runtime_choices": _l(
        "'choices' does not apply to %(type)s fields: the application gives them"
    ),
    "choices_not_applicable": _l("'choices' does not apply to %(type)s fields"),
    "choices_required": _l("%(type)s fields need a non-empty list of choices"),
    "fields_not_applicable": _l("'fields' does not apply to %(type)s fields"),
    "nested_group": _l("a group cannot contain another group"),
    "group_fields_required": _l("a group field needs a non-empty list of sub-fields"),
    "max_below_min": _l("max (%(max)s) is below min (%(min)s)"),
    "integer_bound_not_whole": _l("expected a whole number for an integer field"),
    "max_items_below_min_items": _l("max_items (%(max)s) is below min_items (%(min)s)"),
    "unknown_stage": _l("unknown stage '%(stage)s'; expected one of: %(known)s"),
    "initial_not_a_step": _l("the initial stage must be of kind 'stage', not '%(kind)s'"),
    "all_stages_in_list": _l("'*' must be used alone, not inside a list"),
    "return_not_from_hold": _l(
        "'@return' only leaves a hold stage; '%(stage)s' is of kind '%(kind)s'"
    ),
    "duplicate_trigger": _l(
        "trigger '%(trigger)s' from stage '%(stage)s' is already defined by %(first)s"
    ),
    "unreachable_stage": _l(
        "stage '%(stage)s' cannot be reached from the initial stage '%(initial)s'"
    ),
    "dead_end_stage": _l(
        "stage '%(stage)s' has no outgoing transition to a stage or final outcome; add one, "
        "or make it kind 'final'"
    ),
    "hold_without_exit": _l(
        "hold stage '%(stage)s' has no outgoing transition (e.g. resume to '@return')"
    ),
    "unknown_guard": _l("unknown guard '%(guard)s'; expected one of: %(known)s"),
    "stage_without_form": _l("stage '%(stage)s' has no form to submit"),
    "stage_without_checklist": _l("stage '%(stage)s' has no checklist"),
    "count_below_one": _l("expected a whole number >= 1"),
    "not_a_field": _l(
        "'%(field)s' is not a field in stage '%(stage)s'; expected a group field: %(candidates)s"
    ),
    "unsuitable_field": _l(
        "'%(field)s' is a field of type '%(type)s' in stage '%(stage)s'; "
        "expected a group field: %(candidates)s"
    ),
    "invalid_guard_value": _l(
        "invalid value %(value)s for field '%(field)s'; expected one of: %(choices)s"
    ),
}
"""One sentence per problem code; the variants below replace it for some parameters."""
PROBLEM_VARIANTS = {
    ("unknown_value", "no_list"): _l("unknown %(what)s %(value)s"),
    ("invalid_guard_value", "no_list"): _l("invalid value %(value)s for field '%(field)s'"),
    ("not_a_field", "single_value"): _l(
        "'%(field)s' is not a field in stage '%(stage)s'; "
        "expected a single-value field: %(candidates)s"
    ),
    ("unsuitable_field", "single_value"): _l(
        "'%(field)s' is a field of type '%(type)s' in stage '%(stage)s'; "
        "expected a single-value field: %(candidates)s"
    ),
}
LISTED = ("allowed", "known", "types", "choices")
"""Parameters holding a list of accepted words, joined with commas."""


def describe_problem(problem: DefinitionProblem, locale: str | None = None) -> str:
    """Return one line for a definition problem: file, path, what is wrong and the line."""
    with _language(locale):
        where = f"{problem.origin}: {problem.path}: " if problem.path else f"{problem.origin}: "
        line = " " + gettext("(line %(line)s)", line=problem.line) if problem.line else ""
        return f"{where}{_problem_sentence(problem.code, problem.params)}{line}"


def problem_sentence(problem: DefinitionProblem, locale: str | None = None) -> str:
    """Return what is wrong in a definition, without where (a page shows it next to the input)."""
    with _language(locale):
        return _problem_sentence(problem.code, problem.params)


def _problem_sentence(code: str, params: Mapping[str, Any]) -> str:
    """Word one problem code in the current language (its code when the code is unknown)."""
    message = PROBLEM_MESSAGES.get(code)
    if message is None:
        return code
    variant = params.get("wanted") if code in ("not_a_field", "unsuitable_field") else None
    if code in ("unknown_value", "invalid_guard_value"):
        variant = None if params.get("allowed") or params.get("choices") else "no_list"
    message = PROBLEM_VARIANTS.get((code, str(variant)), message)
    text = _fill(message, _problem_params(code, params))
    if code.startswith("expected_") and isinstance(params.get("value"), bool):
        text += " " + gettext("(YAML reads yes/no/on/off as booleans: put the value in quotes)")
    return text


def _problem_params(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Show the parameters of a problem: lists joined, values as the author wrote them."""
    shown = dict(params)
    for name in LISTED:
        if name in params:
            shown[name] = ", ".join(str(word) for word in params[name])
    if "candidates" in params:
        shown["candidates"] = ", ".join(params["candidates"]) or gettext("none")
    if "value" in params:
        value = params["value"]
        shown["value"] = repr(value) if code == "invalid_guard_value" else _shown(value)
    if "what" in params:
        shown["what"] = str(WHAT_NAMES.get(str(params["what"]), params["what"]))
    if "hint" in params:
        shown["hint"] = str(PATTERN_HINTS.get(str(params["hint"]), PATTERN_HINTS["other"]))
    return shown


def _shown(value: Any) -> str:
    """Show a YAML value as the author wrote it."""
    if value is None:
        return gettext("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return gettext("a mapping")
    if isinstance(value, list):
        return gettext("a list")
    return repr(value)
