"""Stage forms built at run time from a workflow definition.

Like Indico's registry of field types, each definition field type has a factory returning one
WTForms field. WTForms only parses and renders here: the authority on what is valid is
`Workflow.clean_form`, called by `services.save_form`. Repeating groups are rendered as one small
form per item named `key-<index>-sub` (FieldList style), grown and shrunk by `restructure`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.form import BaseForm

from accompagnement import engine
from accompagnement.formfields import CheckboxListField
from accompagnement.projects.forms import choices
from accompagnement.territory.forms import CommuneField

ACTION_DRAFT = "draft"
ACTION_SUBMIT = "submit"
MAX_GROUP_ITEMS = 100
ADD_BUTTON = re.compile(r"add:([a-z][a-z0-9_]*)")
REMOVE_BUTTON = re.compile(r"remove:([a-z][a-z0-9_]*):([0-9]{1,3})")


@dataclass(frozen=True)
class Lookups:
    """What field factories need beyond the definition: language and the lists behind selects."""

    locale: str
    members: Sequence[tuple[str, str]] = ()
    departements: Sequence[tuple[str, str]] = ()
    organisations: Sequence[str] = ()  # names suggested by `organisation` fields


ORGANISATIONS_LIST = "network-organisations"  # the id of their datalist in the form page


def _kwargs(spec: engine.Field, lookups: Lookups, id_: str) -> dict[str, Any]:
    label = spec.label.get(lookups.locale)
    if spec.unit is not None:
        label = f"{label} ({spec.unit.get(lookups.locale)})"
    help_text = spec.help.get(lookups.locale) if spec.help else ""
    return {"label": label, "description": help_text, "id": id_}


def _text(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    limit = spec.max_length or 200
    return StringField(render_kw={"maxlength": limit}, **_kwargs(spec, lookups, id_))


def _long_text(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    limit = spec.max_length or 5000
    return TextAreaField(render_kw={"maxlength": limit, "rows": 4}, **_kwargs(spec, lookups, id_))


def _integer(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    return StringField(render_kw={"inputmode": "numeric"}, **_kwargs(spec, lookups, id_))


def _decimal(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    return StringField(render_kw={"inputmode": "decimal"}, **_kwargs(spec, lookups, id_))


def _date(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    return StringField(render_kw={"type": "date"}, **_kwargs(spec, lookups, id_))


def _boolean(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    return BooleanField(**_kwargs(spec, lookups, id_))


def _options(spec: engine.Field, lookups: Lookups) -> list[tuple[str, str]]:
    return [(c.key, c.label.get(lookups.locale)) for c in spec.choices or ()]


def _choice(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    options = choices([("", "—"), *_options(spec, lookups)])
    return SelectField(choices=options, validate_choice=False, **_kwargs(spec, lookups, id_))


def _multi_choice(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    options = choices(_options(spec, lookups))
    return CheckboxListField(choices=options, validate_choice=False, **_kwargs(spec, lookups, id_))


def _commune(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    return CommuneField(**_kwargs(spec, lookups, id_))


def _member(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    options = choices([("", "—"), *lookups.members])
    return SelectField(choices=options, validate_choice=False, **_kwargs(spec, lookups, id_))


def _departement(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    options = choices([("", "—"), *lookups.departements])
    return SelectField(choices=options, validate_choice=False, **_kwargs(spec, lookups, id_))


def _organisation(spec: engine.Field, lookups: Lookups, id_: str) -> UnboundField:
    limit = spec.max_length or 200
    render = {"maxlength": limit, "list": ORGANISATIONS_LIST, "autocomplete": "off"}
    return StringField(render_kw=render, **_kwargs(spec, lookups, id_))


FIELD_TYPES: dict[str, Callable[[engine.Field, Lookups, str], UnboundField]] = {
    "text": _text,
    "long_text": _long_text,
    "integer": _integer,
    "decimal": _decimal,
    "money": _decimal,
    "date": _date,
    "boolean": _boolean,
    "choice": _choice,
    "multi_choice": _multi_choice,
    "commune": _commune,
    "member": _member,
    "departement": _departement,
    "organisation": _organisation,
}


def to_form_value(spec: engine.Field, value: Any, locale: str) -> Any:
    """Turn a stored value into what the field shows (a French comma for decimals in French)."""
    if value is None:
        return None
    if spec.type in ("decimal", "money"):
        text = str(value)
        return text.replace(".", ",") if locale.startswith("fr") else text
    if spec.type in ("integer", "member"):
        return str(value)
    return value


def _raw_value(spec: engine.Field, bound: Any) -> Any:
    """Return what a bound field holds, as the raw value Workflow.clean_form expects."""
    if spec.type == "boolean":
        return "y" if bound.data else ""
    if spec.type == "multi_choice":
        return list(bound.data or [])
    if spec.type == "commune":
        return bound.value()
    return bound.data if bound.data is not None else ""


@dataclass
class Group:
    """A repeating group of a stage form: one small form per item, named `key-<index>-sub`."""

    spec: engine.Field
    items: list[BaseForm] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def can_add(self) -> bool:
        """Say whether one more item may be added."""
        limit = min(self.spec.max_items or MAX_GROUP_ITEMS, MAX_GROUP_ITEMS)
        return len(self.items) < limit


@dataclass
class Block:
    """One entry of a stage form in definition order: a field or a group."""

    spec: engine.Field
    field: Any = None
    group: Group | None = None


class StageForm:
    """The form of one stage, built from its definition, holding input or stored data."""

    def __init__(
        self,
        definition: engine.Form,
        lookups: Lookups,
        *,
        formdata: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.definition = definition
        self.lookups = lookups
        self.errors: list[str] = []
        self.focus: str | None = None
        scalars = [f for f in definition.fields if f.type in FIELD_TYPES]
        self.top = self._bound(scalars, "", formdata, data or {})
        self.groups: dict[str, Group] = {}
        for spec in definition.fields:
            if spec.type == "group":
                self.groups[spec.key] = self._group(spec, formdata, data or {})

    def _bound(
        self,
        specs: Sequence[engine.Field],
        prefix: str,
        formdata: Mapping[str, Any] | None,
        data: Mapping[str, Any],
    ) -> BaseForm:
        pairs = [
            (spec.key, FIELD_TYPES[spec.type](spec, self.lookups, f"f-{prefix}{spec.key}"))
            for spec in specs
        ]
        form = BaseForm(pairs, prefix=prefix)
        if formdata is not None:
            form.process(formdata)
        else:
            values = {s.key: to_form_value(s, data.get(s.key), self.lookups.locale) for s in specs}
            form.process(data=values)
        return form

    def _group(
        self, spec: engine.Field, formdata: Mapping[str, Any] | None, data: Mapping[str, Any]
    ) -> Group:
        subs = [f for f in spec.fields or () if f.type in FIELD_TYPES]
        group = Group(spec)
        if formdata is not None:
            count = min(item_count(formdata, spec.key), MAX_GROUP_ITEMS)
            for index in range(count):
                group.items.append(self._bound(subs, f"{spec.key}-{index}-", formdata, {}))
            return group
        stored = data.get(spec.key)
        entries = [e for e in stored if isinstance(e, Mapping)] if isinstance(stored, list) else []
        for index, entry in enumerate(entries[:MAX_GROUP_ITEMS] or [{}]):
            group.items.append(self._bound(subs, f"{spec.key}-{index}-", None, entry))
        return group

    def blocks(self) -> Iterator[Block]:
        """Yield the fields and groups in the order of the definition."""
        for spec in self.definition.fields:
            if spec.type == "group":
                yield Block(spec, group=self.groups[spec.key])
            elif spec.type in FIELD_TYPES:
                yield Block(spec, field=self.top[spec.key])

    def raw(self) -> dict[str, Any]:
        """Return the input as the nested mapping Workflow.clean_form expects."""
        raw: dict[str, Any] = {}
        for block in self.blocks():
            if block.group is None:
                raw[block.spec.key] = _raw_value(block.spec, block.field)
                continue
            subs = [f for f in block.spec.fields or () if f.type in FIELD_TYPES]
            raw[block.spec.key] = [
                {sub.key: _raw_value(sub, item[sub.key]) for sub in subs}
                for item in block.group.items
            ]
        return raw

    def apply_errors(self, errors: Mapping[str, str]) -> None:
        """Put each error next to its input (`visits.1.date`); unplaced ones go on top."""
        for path, message in errors.items():
            if not self._place(path.split("."), message):
                self.errors.append(message)

    def _place(self, parts: list[str], message: str) -> bool:
        key = parts[0]
        if len(parts) == 1 and key in self.top._fields:
            self.top[key].errors = [_field_message(self.top[key], message)]
            return True
        group = self.groups.get(key)
        if group is None:
            return False
        if len(parts) == 1:
            group.errors.append(message)
            return True
        if len(parts) == 3 and parts[1].isdecimal() and int(parts[1]) < len(group.items):
            item = group.items[int(parts[1])]
            if parts[2] in item._fields:
                item[parts[2]].errors = [_field_message(item[parts[2]], message)]
                return True
        return False

    @property
    def has_errors(self) -> bool:
        """Say whether any error is shown."""
        if self.errors or any(f.errors for f in self.top):
            return True
        groups = self.groups.values()
        return any(g.errors or any(f.errors for i in g.items for f in i) for g in groups)


def _field_message(bound: Any, message: str) -> str:
    """Prefer a commune field's own explanation (the candidates) to the engine's message."""
    return getattr(bound, "problem", "") or message


def item_count(formdata: Mapping[str, Any], key: str) -> int:
    """Count the items of a group in posted data (indices are renumbered by `restructure`)."""
    pattern = re.compile(rf"{re.escape(key)}-([0-9]{{1,3}})-")
    indices = {int(m[1]) for name in formdata if (m := pattern.match(name))}
    return max(indices) + 1 if indices else 0


def group_operation(formdata: Mapping[str, Any], groups: Sequence[str]) -> tuple[str, str, int]:
    """Return the add/remove button pressed, as ("add"|"remove"|"", group key, index)."""
    for name in formdata:
        if (m := ADD_BUTTON.fullmatch(name)) and m[1] in groups:
            return "add", m[1], -1
        if (m := REMOVE_BUTTON.fullmatch(name)) and m[1] in groups:
            return "remove", m[1], int(m[2])
    return "", "", -1


def restructure(
    formdata: MultiDict[str, Any], operation: str, key: str, index: int
) -> tuple[MultiDict[str, Any], int]:
    """Renumber a group's items 0..n-1, dropping or adding one; return the data and the count."""
    pattern = re.compile(rf"{re.escape(key)}-([0-9]{{1,3}})-(.*)", re.DOTALL)
    found = sorted({int(m[1]) for name in formdata if (m := pattern.fullmatch(name))})
    if operation == "remove" and index < len(found):
        del found[index]
    position = {old: new for new, old in enumerate(found)}
    result: MultiDict[str, Any] = MultiDict()
    for name, values in formdata.lists():
        m = pattern.fullmatch(name)
        if m is None:
            result.setlist(name, values)
        elif int(m[1]) in position:
            result.setlist(f"{key}-{position[int(m[1])]}-{m[2]}", values)
    count = len(found)
    if operation == "add":
        result.add(f"{key}-{count}-", "")  # an empty item, so that it is counted
        count += 1
    return result, count


def group_button_pressed(formdata: Mapping[str, Any]) -> bool:
    """Say whether an "add" or "remove" button of some group was pressed."""
    return any(ADD_BUTTON.fullmatch(name) or REMOVE_BUTTON.fullmatch(name) for name in formdata)


def regrouped(
    formdata: MultiDict[str, Any],
    definition: engine.Form,
    operation: str = "",
    key: str = "",
    index: int = -1,
) -> tuple[MultiDict[str, Any], dict[str, int]]:
    """Renumber the items of every group of a form (one added to or removed from `key`)."""
    counts: dict[str, int] = {}
    for group in (f.key for f in definition.fields if f.type == "group"):
        formdata, counts[group] = restructure(
            formdata, operation if group == key else "", group, index
        )
    return formdata, counts


def read_input(
    formdata: MultiDict[str, Any], definition: engine.Form, locale: str
) -> dict[str, Any]:
    """Read posted values as the raw mapping `Workflow.clean_form` expects (selects unchecked)."""
    data, _counts = regrouped(formdata, definition)
    return StageForm(definition, Lookups(locale), formdata=data).raw()
