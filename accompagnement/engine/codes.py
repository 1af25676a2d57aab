"""The codes the engine answers with: a refusal or a field error is a code and its parameters.

The engine never words them; the web side (`accompagnement.messages`) maps every code to a
catalogue message. A test checks that the engine emits only these codes and that each one has
a translated message.
"""

REFUSAL_CODES = frozenset(
    {
        "unknown_trigger",  # trigger
        "not_from_this_stage",  # trigger, stage
        "role_not_allowed",  # role, roles
        "reason_required",
        "no_return_stage",  # stage
        "form_not_submitted",  # stage, drafted
        "checklist_incomplete",  # stage, items
        "too_few_items",  # stage, field, count, have, drafted
        "field_mismatch",  # stage, field, value
    }
)
"""Why a transition cannot be fired. `drafted` means part of what is missing sits in a draft."""

FIELD_ERROR_CODES = frozenset(
    {
        "required",
        "too_long",  # max
        "not_an_integer",
        "not_a_number",
        "too_large",
        "below_min",  # min
        "above_max",  # max
        "not_a_date",
        "invalid_choice",  # value
        "invalid_commune",
        "invalid_member",
        "too_few_items",  # min
        "too_many_items",  # max
    }
)
"""Why one value of a form was refused."""
