"""The differences between two workflow versions (`engine.compare`), worded in the current language.

The one place that turns change codes into sentences, as `accompagnement.messages` does for the
engine's refusals and problems: stages, fields, items and transitions are named by their labels
in the reader's language, every other word is an English msgid translated in the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from accompagnement.engine import Change, Label
from accompagnement.i18n import current_language
from accompagnement.messages import ROLE_NAMES, _either, _fill, _language

CHANGE_MESSAGES = {
    # label-only
    "workflow_label_changed": _l("pathway renamed from “%(old)s” to “%(new)s”"),
    "workflow_description_changed": _l("description of the pathway reworded"),
    "stage_label_changed": _l("stage “%(old)s” renamed “%(new)s”"),
    "stage_description_changed": _l("description of the stage “%(stage)s” reworded"),
    "field_label_changed": _l("field “%(old)s” (%(stage)s) renamed “%(new)s”"),
    "field_help_changed": _l("help of the field “%(field)s” (%(stage)s) reworded"),
    "field_unit_changed": _l("unit of the field “%(field)s” (%(stage)s) reworded"),
    "choice_label_changed": _l(
        "choice “%(old)s” of the field “%(field)s” (%(stage)s) renamed “%(new)s”"
    ),
    "item_label_changed": _l("checklist item “%(old)s” (%(stage)s) renamed “%(new)s”"),
    "task_title_changed": _l("task “%(old)s” (%(stage)s) renamed “%(new)s”"),
    "transition_label_changed": _l("transition “%(old)s” renamed “%(new)s”"),
    # structural
    "default_changed": _l("whether this is the default pathway changed"),
    "initial_changed": _l("projects now start at “%(new)s” instead of “%(old)s”"),
    "stage_added": _l("stage “%(stage)s” added after “%(after)s”"),
    "stage_removed": _l("stage “%(stage)s” removed"),
    "stage_moved": _l("stage “%(stage)s” moved after “%(after)s”"),
    "stage_kind_changed": _l("stage “%(stage)s” is now of kind %(new)s (was %(old)s)"),
    "stage_usual_days_changed": _l(
        "usual days of the stage “%(stage)s”: %(new)s instead of %(old)s"
    ),
    "form_added": _l("stage “%(stage)s” now has a form"),
    "form_removed": _l("stage “%(stage)s” no longer has a form"),
    "field_added": _l("field “%(field)s” added to “%(stage)s” after “%(after)s”"),
    "field_removed": _l("field “%(field)s” removed from “%(stage)s”"),
    "field_moved": _l("field “%(field)s” (%(stage)s) moved after “%(after)s”"),
    "field_type_changed": _l("field “%(field)s” (%(stage)s) is now of type %(new)s (was %(old)s)"),
    "field_required": _l("field “%(field)s” (%(stage)s) now required"),
    "field_optional": _l("field “%(field)s” (%(stage)s) no longer required"),
    "field_bound_changed": _l(
        "field “%(field)s” (%(stage)s): %(bound)s %(new)s instead of %(old)s"
    ),
    "choice_added": _l("choice “%(choice)s” added to the field “%(field)s” (%(stage)s)"),
    "choice_removed": _l("choice “%(choice)s” removed from the field “%(field)s” (%(stage)s)"),
    "choices_reordered": _l("choices of the field “%(field)s” (%(stage)s) reordered"),
    "item_added": _l("checklist item “%(item)s” added to “%(stage)s”"),
    "item_removed": _l("checklist item “%(item)s” removed from “%(stage)s”"),
    "item_moved": _l("checklist item “%(item)s” (%(stage)s) moved after “%(after)s”"),
    "item_required": _l("checklist item “%(item)s” (%(stage)s) now required"),
    "item_optional": _l("checklist item “%(item)s” (%(stage)s) no longer required"),
    "task_added": _l("task “%(task)s” added to “%(stage)s”"),
    "task_removed": _l("task “%(task)s” removed from “%(stage)s”"),
    "task_changed": _l("task “%(task)s” (%(stage)s): %(attribute)s %(new)s instead of %(old)s"),
    "transition_added": _l("transition “%(transition)s” added, from %(sources)s to “%(dest)s”"),
    "transition_removed": _l("transition “%(transition)s” removed (from %(sources)s)"),
    "transition_dest_changed": _l(
        "transition “%(transition)s” now leads to “%(new)s” instead of “%(old)s”"
    ),
    "transition_roles_changed": _l("transition “%(transition)s” may now be fired by %(new)s"),
    "transition_reason_changed": _l("transition “%(transition)s”: reason now %(new)s"),
    "guard_added": _l("transition “%(transition)s” needs %(guard)s"),
    "guard_removed": _l("transition “%(transition)s” no longer needs %(guard)s"),
}
"""One sentence per change code (`engine.codes`); the variants below replace some."""
FIRST_VARIANTS = {
    "stage_added": _l("stage “%(stage)s” added first"),
    "stage_moved": _l("stage “%(stage)s” moved first"),
    "field_added": _l("field “%(field)s” added first to “%(stage)s”"),
    "field_moved": _l("field “%(field)s” (%(stage)s) moved first"),
    "item_moved": _l("checklist item “%(item)s” (%(stage)s) moved first"),
}
"""The wording when the thing now comes first (`after` is None)."""
GUARD_WORDS = {
    "form_submitted": _l("the form of “%(stage)s” submitted"),
    "checklist_complete": _l("the checklist of “%(stage)s”"),
    "min_items": _l("at least %(count)s entries in “%(field)s” (%(stage)s)"),
    "field_equals": _l("“%(field)s” to be “%(value)s” (%(stage)s)"),
}
OWN_STAGE_GUARD_WORDS = {
    "form_submitted": _l("the form of its stage submitted"),
    "checklist_complete": _l("the checklist of its stage"),
}
"""A guard on the stage a transition leaves, when it leaves several."""
REASON_WORDS = {
    "none": _l("not asked"),
    "optional": _l("optional"),
    "required": _l("required"),
}
BOUND_WORDS = {
    "max_length": _l("maximum length"),
    "min": _l("minimum"),
    "max": _l("maximum"),
    "min_items": _l("minimum entries"),
    "max_items": _l("maximum entries"),
}
TASK_WORDS = {"assignee": _l("assignee"), "due_days": _l("days to do it")}


def describe_change(change: Change, locale: str | None = None) -> str:
    """Return a sentence for one difference between two versions."""
    message = CHANGE_MESSAGES.get(change.code)
    if message is None:
        return change.code
    if change.params.get("after", "") is None:
        message = FIRST_VARIANTS.get(change.code, message)
    with _language(locale):
        return _fill(message, _shown(change.code, change.params, current_language()))


def _shown(code: str, params: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Show parameters: labels in the language, a group's field after its group, words."""
    shown = {key: _word(value, language) for key, value in params.items()}
    if "group" in params and "field" in params:
        shown["field"] = f"{shown['group']} › {shown['field']}"
    if "sources" in params:
        shown["sources"] = ", ".join(f"“{_word(s, language)}”" for s in params["sources"])
    if code == "transition_roles_changed":
        shown["new"] = _either([str(ROLE_NAMES.get(r, r)) for r in params["new"]])
    if code == "transition_reason_changed":
        shown["new"] = str(REASON_WORDS.get(params["new"], params["new"]))
    if "bound" in params:
        shown["bound"] = str(BOUND_WORDS.get(params["bound"], params["bound"]))
    if code == "task_changed":
        shown["attribute"] = str(TASK_WORDS.get(params["attribute"], params["attribute"]))
    if "guard" in params:
        shown["guard"] = _guard(params, shown)
    return shown


def _word(value: Any, language: str) -> Any:
    """Show a label in the language, a special stage word as it is, anything else as text."""
    if isinstance(value, Label):
        return value.get(language)
    if value == "*":
        return gettext("every stage")
    if value == "@return":
        return gettext("the stage it was paused at")
    return "" if value is None else value


def _guard(params: Mapping[str, Any], shown: Mapping[str, Any]) -> str:
    """Say what a guard needs."""
    name = params["guard"]
    words = GUARD_WORDS.get(name)
    if params.get("stage") is None:
        words = OWN_STAGE_GUARD_WORDS.get(name, words)
    return _fill(words, shown) if words is not None else str(name)
