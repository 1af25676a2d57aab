"""`CommuneField`: a text input where a person types a commune's name, postal code or INSEE code.

The server resolves what was typed (see `services.resolve_typed`); static/js/commune.js only adds
suggestions, so the field works the same with JavaScript off. `data` is the INSEE code of the
resolved commune ("" when left empty), `commune` the Commune itself.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from accompagnement.territory.models import Commune
from accompagnement.territory.services import label, resolve_commune, resolve_typed


def commune_detail(commune: Commune | None) -> str:
    """Return "Guéret · CA du Grand Guéret · 23 Creuse": what a code stands for, derived."""
    if commune is None:
        return ""
    parts = [label(commune)]
    if commune.epci is not None:
        parts.append(commune.epci.name)
    parts.append(f"{commune.departement_code} {commune.departement.name}")
    return " · ".join(parts)


COMMUNE_HELP = _l("Type a name, a postal code or an INSEE code, then pick the commune.")


class CommuneField(StringField):
    """Type a commune: "Guéret", "gueret", "23000", "23096" or "Guéret (23096)"."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        render_kw = {
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": 120,
            "placeholder": _l("Name, postal code or INSEE code"),
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.commune: Commune | None = None
        self.text = ""
        self.problem = ""
        self.help: Any = kwargs.get("description", "")

    def __call__(self, **kwargs: Any) -> Any:
        kwargs.setdefault("data-commune-search", url_for("territory.communes"))
        return super().__call__(**kwargs)

    def _value(self) -> str:
        if self.commune is not None:
            return label(self.commune)
        return self.text

    def process_data(self, value: Any) -> None:
        """Show a stored INSEE code as "Name (code)"."""
        self.commune = resolve_commune(str(value)) if value else None
        self.text = str(value or "")
        self.data = self.commune.insee if self.commune else (self.text or "")
        self._describe()

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Resolve what was typed; keep the text and a message when it is not one commune."""
        self.text = " ".join(str(valuelist[0] if valuelist else "").split())[:120]
        self.commune, self.problem, self.data = None, "", ""
        if not self.text:
            return
        found = resolve_typed(self.text)
        if found.commune is not None:
            self.commune = found.commune
            self.data = found.commune.insee
            self._describe()
            return
        self.data = self.text
        if found.candidates:
            names = ", ".join(label(c) for c in found.candidates[:5])
            self.problem = _("Several communes match: %(names)s. Pick one.", names=names)
        else:
            self.problem = _("No commune matches “%(text)s”.", text=self.text)

    def _describe(self) -> None:
        """Show what the commune stands for under the input, instead of the help text."""
        self.description = self.detail or self.help

    @property
    def detail(self) -> str:
        """The name, EPCI and département of the resolved commune."""
        return commune_detail(self.commune)

    def pre_validate(self, form: Any) -> None:
        if self.problem:
            raise ValidationError(self.problem)

    def value(self) -> str:
        """Return the INSEE code, or the text typed when it resolved to no single commune."""
        return str(self.data or "")
