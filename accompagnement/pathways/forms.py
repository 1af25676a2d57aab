"""Forms of the pathway editor: one per kind of item, reading and writing the draft's data.

The forms check nothing about the pathway: what they read goes into the draft as typed, and the
engine's loader says what is wrong, with the same messages as for a file. A number that cannot
be read is kept as text for the same reason (the engine then says "expected a whole number").
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from accompagnement.engine.definition import (
    ASSIGNEES,
    FIELD_TYPES,
    NAME_PATTERN,
    REASON_POLICIES,
    ROLES,
    STAGE_KINDS,
)
from accompagnement.engine.guards import GUARDS
from accompagnement.formfields import CheckboxListField
from accompagnement.i18n import current_language
from accompagnement.pathways.document import (
    Document,
    items,
    label_text,
    read_number,
    shown_number,
    text_pair,
    text_value,
)
from accompagnement.pathways.names import (
    ASSIGNEE_NAMES,
    FIELD_TYPE_NAMES,
    GUARD_NAMES,
    REASON_NAMES,
    ROLE_NAMES,
    STAGE_KIND_NAMES,
)
from accompagnement.projects.forms import choices

TEXT_MAX = 2000
KEY_MAX = 60
LANGUAGES = ("fr", "en")

ANY_STAGE = "*"
RETURN = "@return"


def stage_choices(document: Document) -> list[tuple[str, str]]:
    """Return the stages of the draft as (key, "label (key)") choices."""
    found = []
    for stage in items(document, "stages"):
        if isinstance(stage, dict) and isinstance(stage.get("key"), str):
            found.append((stage["key"], f"{label_text(stage.get('label'))} ({stage['key']})"))
    return found


def _key_field(description: Any = None) -> StringField:
    return StringField(
        _l("Key"),
        description=description
        or _l("Lowercase letters, digits and _, starting with a letter. Stored with the data."),
        validators=[Length(max=KEY_MAX)],
    )


def _text_fields(name: Any, long: bool = False) -> tuple[Any, Any]:
    kind = TextAreaField if long else StringField
    return (
        kind(_l("%(name)s in French", name=name), validators=[Length(max=TEXT_MAX)]),
        kind(_l("%(name)s in English", name=name), validators=[Length(max=TEXT_MAX)]),
    )


def _number_field(label: Any, description: Any = None) -> StringField:
    return StringField(
        label, description=description, validators=[Length(max=30)], render_kw={"size": 10}
    )


class ItemForm(FlaskForm):
    """Reads an item of the draft into inputs and writes the inputs back as the item's keys."""

    texts: ClassVar[tuple[str, ...]] = ()  # keys written as {fr, en}
    plain: ClassVar[tuple[str, ...]] = ()  # keys written as typed text (or a select's value)
    numbers: ClassVar[tuple[str, ...]] = ()
    flags: ClassVar[dict[str, bool]] = {}  # boolean keys and their default (not written)
    replaces: ClassVar[bool] = False  # the item is written anew rather than updated

    position = SelectField(_l("Where"), validate_choice=False, validators=[Optional()])

    def prepare(self, document: Document, here: list[Any]) -> None:
        """Fill the choices that come from the draft (`here`: the list the item is in)."""
        options = [("", str(_l("At the end"))), ("0", str(_l("At the beginning")))]
        for index, entry in enumerate(here):
            title = entry_title(entry)
            options.append((str(index + 1), str(_l("After «%(title)s»", title=title))))
        self.position.choices = choices(options)

    def load(self, item: dict[str, Any]) -> None:
        """Show an item's values."""
        for key in self.texts:
            self[f"{key}_fr"].data, self[f"{key}_en"].data = text_pair(item, key)
        for key in self.plain:
            value = item.get(key)
            self[key].data = value if isinstance(value, str) else shown_number(value)
        for key in self.numbers:
            self[key].data = shown_number(item.get(key))
        for key, default in self.flags.items():
            value = item.get(key, default)
            self[key].data = value if isinstance(value, bool) else default

    def values(self) -> dict[str, Any]:
        """Return the item's keys as typed (None: remove the key)."""
        found: dict[str, Any] = {}
        for key in self.texts:
            found[key] = text_value(self[f"{key}_fr"].data, self[f"{key}_en"].data)
        for key in self.plain:
            found[key] = (self[key].data or "").strip() or None
        for key in self.numbers:
            found[key] = read_number(self[key].data)
        for key, default in self.flags.items():
            found[key] = None if bool(self[key].data) == default else bool(self[key].data)
        return found

    def inputs(self) -> list[Any]:
        """Return the inputs of the item (not the position nor the CSRF token)."""
        return [f for f in self if f.short_name not in ("csrf_token", "position")]

    def input_names(self) -> set[str]:
        """Return the names of the inputs, where problems can be shown."""
        return {f.short_name for f in self.inputs()}


def entry_title(entry: Any) -> str:
    """Return a short title of any item of a list (its label, else its key or name)."""
    if not isinstance(entry, dict):
        return str(entry)
    for key in ("label", "title"):
        if entry.get(key):
            return label_text(entry[key], current_language())
    if len(entry) == 1:  # a guard {name: params}
        return str(next(iter(entry)))
    return str(entry.get("key") or entry.get("trigger") or "?")


class StageItemForm(ItemForm):
    texts = ("label", "description")
    plain = ("key", "kind")
    numbers = ("usual_days",)

    key = _key_field()
    kind = SelectField(
        _l("Kind"),
        choices=choices([(k, STAGE_KIND_NAMES[k]) for k in STAGE_KINDS]),
        validate_choice=False,
    )
    label_fr, label_en = _text_fields(_l("Label"))
    description_fr, description_en = _text_fields(_l("Description"), long=True)
    usual_days = _number_field(
        _l("Usual duration (days)"), _l("After this many days the project is shown as late.")
    )


class FieldItemForm(ItemForm):
    texts = ("label", "help", "unit")
    plain = ("key", "type")
    numbers = ("max_length", "min", "max", "min_items", "max_items")
    flags = {"required": False}

    key = _key_field()
    type = SelectField(
        _l("Type"),
        choices=choices([(t, FIELD_TYPE_NAMES[t]) for t in FIELD_TYPES]),
        validate_choice=False,
    )
    label_fr, label_en = _text_fields(_l("Label"))
    help_fr, help_en = _text_fields(_l("Help"), long=True)
    required = BooleanField(_l("Required to submit the form"))
    max_length = _number_field(_l("Maximum length (texts)"))
    min = _number_field(_l("Minimum (numbers)"))
    max = _number_field(_l("Maximum (numbers)"))
    unit_fr, unit_en = _text_fields(_l("Unit"))
    min_items = _number_field(_l("Minimum number of items (groups)"))
    max_items = _number_field(_l("Maximum number of items (groups)"))


class ChoiceItemForm(ItemForm):
    texts = ("label",)
    plain = ("key",)

    key = _key_field(_l("Lowercase letters, digits and _. Stored with the data."))
    label_fr, label_en = _text_fields(_l("Label"))


class ChecklistItemForm(ItemForm):
    texts = ("label",)
    plain = ("key",)
    flags = {"required": True}

    key = _key_field()
    label_fr, label_en = _text_fields(_l("Label"))
    required = BooleanField(_l("Required to leave the stage"), default=True)


class TaskItemForm(ItemForm):
    texts = ("title",)
    plain = ("key", "assignee")
    numbers = ("due_days",)

    key = _key_field()
    title_fr, title_en = _text_fields(_l("Title"))
    assignee = SelectField(
        _l("Given to"),
        choices=choices([(a, ASSIGNEE_NAMES[a]) for a in ASSIGNEES]),
        validate_choice=False,
    )
    due_days = _number_field(_l("Due after (days)"), _l("Days after the project enters the stage."))


class TransitionItemForm(ItemForm):
    texts = ("label",)
    plain = ("trigger", "dest", "reason")

    trigger = _key_field(
        _l("The action's key, e.g. advance, back, pause. Unique among the transitions of a stage.")
    )
    label_fr, label_en = _text_fields(_l("Label"))
    source = CheckboxListField(_l("From"), validate_choice=False)
    dest = SelectField(_l("To"), validate_choice=False)
    roles = CheckboxListField(
        _l("Who may fire it"),
        choices=choices([(r, ROLE_NAMES[r]) for r in ROLES]),
        validate_choice=False,
    )
    reason = SelectField(
        _l("Reason"),
        choices=choices([(r, REASON_NAMES[r]) for r in REASON_POLICIES]),
        validate_choice=False,
    )

    def prepare(self, document: Document, here: list[Any]) -> None:
        super().prepare(document, here)
        stages = stage_choices(document)
        self.source.choices = choices([(ANY_STAGE, str(_l("Any step of the pathway"))), *stages])
        back = str(_l("Back where the project was (from a side state)"))
        self.dest.choices = choices([("", "—"), *stages, (RETURN, back)])

    def load(self, item: dict[str, Any]) -> None:
        super().load(item)
        source = item.get("source")
        if isinstance(source, list):
            self.source.data = [str(s) for s in source]
        else:
            self.source.data = [source] if isinstance(source, str) else []
        roles = item.get("roles")
        self.roles.data = list(roles) if isinstance(roles, list) else []
        if not self.reason.data:
            self.reason.data = "none"

    def values(self) -> dict[str, Any]:
        found = super().values()
        chosen = [str(s) for s in self.source.data or []]
        if ANY_STAGE in chosen:
            found["source"] = ANY_STAGE
        else:
            found["source"] = chosen[0] if len(chosen) == 1 else (chosen or None)
        found["roles"] = list(self.roles.data or []) or None
        if found["reason"] == "none":
            found["reason"] = None
        return found


class GuardItemForm(ItemForm):
    replaces = True

    name = SelectField(
        _l("Condition"),
        choices=choices([(g, GUARD_NAMES[g]) for g in GUARDS]),
        validate_choice=False,
    )
    stage = SelectField(
        _l("Stage looked at"),
        description=_l("By default, the stage the project leaves."),
        validate_choice=False,
    )
    field = SelectField(
        _l("Field (repeating group or single value)"),
        description=_l("For the conditions on a group or on a field's value."),
        validate_choice=False,
    )
    count = _number_field(_l("Minimum number of items"))
    value = StringField(_l("Expected value"), validators=[Length(max=200)])

    def prepare(self, document: Document, here: list[Any]) -> None:
        super().prepare(document, here)
        self.stage.choices = choices(
            [("", str(_l("The stage the project leaves"))), *stage_choices(document)]
        )
        self.field.choices = choices([("", "—"), *field_choices(document)])

    def load(self, item: dict[str, Any]) -> None:
        if len(item) != 1:
            return
        name, params = next(iter(item.items()))
        params = params if isinstance(params, dict) else {}
        self.name.data = name
        self.stage.data = str(params.get("stage") or "")
        self.field.data = str(params.get("field") or "")
        self.count.data = shown_number(params.get("count"))
        value = params.get("value")
        self.value.data = "" if value is None else str(value)

    def values(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.stage.data:
            params["stage"] = self.stage.data
        if self.name.data in ("min_items", "field_equals"):
            params["field"] = self.field.data or None
        if self.name.data == "min_items":
            params["count"] = read_number(self.count.data)
        if self.name.data == "field_equals":
            params["value"] = (self.value.data or "").strip() or None
        return {str(self.name.data): {k: v for k, v in params.items() if v is not None}}

    def input_names(self) -> set[str]:
        return {"name", "stage", "field", "count", "value"}


def field_choices(document: Document) -> list[tuple[str, str]]:
    """Return the top-level fields of every stage as choices ("stage: label (key)")."""
    found: dict[str, str] = {}
    for stage in items(document, "stages"):
        if not isinstance(stage, dict):
            continue
        fields = stage.get("form", {}).get("fields") if isinstance(stage.get("form"), dict) else []
        for field in fields if isinstance(fields, list) else []:
            if isinstance(field, dict) and isinstance(field.get("key"), str):
                shown = f"{label_text(stage.get('label'))}: {label_text(field.get('label'))}"
                found.setdefault(field["key"], f"{shown} ({field['key']})")
    return list(found.items())


KIND_FORMS: dict[str, type[ItemForm]] = {
    "stage": StageItemForm,
    "field": FieldItemForm,
    "subfield": FieldItemForm,
    "choice": ChoiceItemForm,
    "item": ChecklistItemForm,
    "task": TaskItemForm,
    "transition": TransitionItemForm,
    "guard": GuardItemForm,
}


class SettingsForm(ItemForm):
    """The pathway's own keys: its label, description, first stage."""

    texts = ("label", "description")
    plain = ("initial",)
    flags = {"default": False}

    label_fr, label_en = _text_fields(_l("Name of the pathway"))
    description_fr, description_en = _text_fields(_l("Description"), long=True)
    initial = SelectField(_l("First stage"), validate_choice=False)
    default = BooleanField(_l("Default pathway of new projects"))

    def prepare(self, document: Document, here: list[Any]) -> None:
        self.initial.choices = choices([("", "—"), *stage_choices(document)])


class NewDraftForm(FlaskForm):
    """Start a draft: a new version of a pathway, or a new pathway."""

    source = SelectField(_l("Start from"), validate_choice=False)
    name = StringField(
        _l("Key of the new pathway"),
        description=_l("For a new pathway only: lowercase letters, digits and hyphens."),
        validators=[Optional(), Length(max=80), Regexp(NAME_PATTERN)],
    )
    label = StringField(
        _l("Name of the new pathway (French)"), validators=[Optional(), Length(max=200)]
    )


class MoveForm(FlaskForm):
    """Move an item one place up or down, or to a position (dragged by the script)."""

    direction = HiddenField()
    to = HiddenField()
