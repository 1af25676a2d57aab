"""Clean a stage form: raw strings in, JSON-able data and field errors (keyed by path) out."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accompagnement.engine.definition import Choice, Field
from accompagnement.engine.values import FieldError, as_text, parse_scalar

SEPARATORS = re.compile(r"[,;|\s]+")


@dataclass
class CleanForm:
    """The cleaned data of a form and the errors found, keyed like `visits.1.date`."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, FieldError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Say whether the form has no error."""
        return not self.errors


RuntimeChoices = Mapping[str, Sequence[Choice]]


def clean_form(
    fields: Sequence[Field], raw: Any, *, submit: bool, choices: RuntimeChoices | None = None
) -> CleanForm:
    """Clean raw values for `fields`; `required` and `min_items` are enforced only on submit.

    `choices` gives, per field type (`departement`), the choices known only at run time.
    """
    result = CleanForm()
    fields = with_choices(fields, choices or {})
    _clean_fields(fields, raw if isinstance(raw, Mapping) else {}, submit, "", result)
    return result


def with_choices(fields: Sequence[Field], choices: RuntimeChoices) -> list[Field]:
    """Return the fields with the run-time choices of their type filled in (groups too)."""
    filled = []
    for spec in fields:
        if spec.type in choices:
            spec = spec.model_copy(update={"choices": list(choices[spec.type])})
        elif spec.type == "group" and spec.fields:
            spec = spec.model_copy(update={"fields": with_choices(spec.fields, choices)})
        filled.append(spec)
    return filled


def _clean_fields(
    fields: Sequence[Field], raw: Mapping[Any, Any], submit: bool, prefix: str, into: CleanForm
) -> dict[str, Any]:
    """Clean each field of a form or of one group item; unknown raw keys are ignored."""
    data: dict[str, Any] = {}
    for spec in fields:
        path = prefix + spec.key
        value, error = _clean_field(spec, raw.get(spec.key), submit, path, into)
        if error is not None:
            into.errors[path] = error
        elif value is not None:
            data[spec.key] = value
    if not prefix:
        into.data = data
    return data


def _clean_field(
    spec: Field, value: Any, submit: bool, path: str, into: CleanForm
) -> tuple[Any, FieldError | None]:
    """Clean one field; an absent value is None, and an error only when required on submit."""
    if spec.type == "group":
        return _clean_group(spec, value, submit, path, into)
    if spec.type == "multi_choice":
        cleaned, error = _clean_multi_choice(spec, value)
    else:
        cleaned, error = _clean_scalar(spec, value)
    if error is None and cleaned is None and spec.required and submit:
        return None, FieldError("required")
    return cleaned, error


def _clean_scalar(spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    """Clean a single value; blank text is absent, except a blank boolean which means no."""
    text = as_text(value)
    if text is None:
        return None, None
    if not text.strip() and spec.type != "boolean":
        return None, None
    return parse_scalar(spec, text)


def _clean_multi_choice(spec: Field, value: Any) -> tuple[Any, FieldError | None]:
    """Clean a list of choice keys (or one string of keys separated by commas)."""
    if isinstance(value, str):
        keys = [k for k in SEPARATORS.split(value) if k]
    elif isinstance(value, list | tuple):
        keys = [text.strip() for text in map(as_text, value) if text and text.strip()]
    else:
        keys = []
    unknown = [k for k in keys if spec.choice(k) is None]
    if unknown:
        return None, FieldError("invalid_choice", {"value": unknown[0][:50]})
    chosen = [c.key for c in spec.choices or () if c.key in keys]
    return chosen or None, None


def _clean_group(
    spec: Field, value: Any, submit: bool, path: str, into: CleanForm
) -> tuple[Any, FieldError | None]:
    """Clean the items of a repeating group, dropping blank items; errors use the raw index."""
    items = value if isinstance(value, list | tuple) else []
    kept = []
    for index, item in enumerate(items):
        entry = item if isinstance(item, Mapping) else {}
        if not all(_blank(entry.get(sub.key)) for sub in spec.fields or ()):
            kept.append(_clean_fields(spec.fields or (), entry, submit, f"{path}.{index}.", into))
    return kept or None, _count_error(spec, len(kept), submit)


def _blank(value: Any) -> bool:
    """Say whether a raw value is empty (a blank row of a repeating group is dropped)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(map(_blank, value))
    return False


def _count_error(spec: Field, count: int, submit: bool) -> FieldError | None:
    """Check the number of items of a group."""
    if spec.max_items is not None and count > spec.max_items:
        return FieldError("too_many_items", {"max": spec.max_items})
    if not submit:
        return None
    if spec.min_items and count < spec.min_items:
        return FieldError("too_few_items", {"min": spec.min_items})
    if spec.required and count == 0:
        return FieldError("required")
    return None
