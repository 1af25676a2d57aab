"""The settings form: one choice per kind of notification the person's role may receive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from accompagnement.notifications.kinds import DELIVERY_LABELS, Kind


class SettingsForm(FlaskForm):
    """Built at run time by `settings_form`: a SelectField named after each kind's key."""

    def choices(self, kinds: Sequence[Kind]) -> dict[str, str]:
        """Return the delivery chosen for each kind."""
        return {kind.key: str(self[kind.key].data) for kind in kinds}


def settings_form(kinds: Sequence[Kind], current: Mapping[str, str]) -> SettingsForm:
    """Return the form of these kinds, showing the current deliveries."""

    class Form(SettingsForm):
        pass

    for kind in kinds:
        choices = [SelectChoice(d, DELIVERY_LABELS[d]) for d in kind.deliveries]
        setattr(
            Form, kind.key, SelectField(kind.label, choices=choices, default=current.get(kind.key))
        )
    return Form()
