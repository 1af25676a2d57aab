"""Plain French and English sentences for refusals and field errors (CLI, logs, fallbacks)."""

from typing import TYPE_CHECKING, Any

from accompagnement.engine.definition import Field, Stage

if TYPE_CHECKING:
    from accompagnement.engine.facts import Refusal
    from accompagnement.engine.values import FieldError
    from accompagnement.engine.workflow import Workflow

ROLE_LABELS = {
    "coordinator": {"fr": "l'animateur·rice du réseau", "en": "the network coordinator"},
    "holder": {"fr": "le porteur ou la porteuse de projet", "en": "the project holder"},
}
REFUSALS = {
    "unknown_trigger": {
        "fr": "Action inconnue : {trigger}.",
        "en": "Unknown action: {trigger}.",
    },
    "not_from_this_stage": {
        "fr": "L'action « {trigger} » n'est pas possible depuis l'étape « {stage} ».",
        "en": "The action “{trigger}” is not possible from the stage “{stage}”.",
    },
    "role_not_allowed": {
        "fr": "Action réservée à {roles}.",
        "en": "Only {roles} can do this.",
    },
    "reason_required": {
        "fr": "Un motif est obligatoire.",
        "en": "A reason is required.",
    },
    "no_return_stage": {
        "fr": "L'étape à laquelle revenir n'est pas connue.",
        "en": "The stage to return to is not known.",
    },
    "form_not_submitted": {
        "fr": "Le formulaire de l'étape « {stage} » n'a pas été soumis.",
        "en": "The form of the stage “{stage}” has not been submitted.",
    },
    "checklist_incomplete": {
        "fr": "Éléments de la liste à cocher manquants ({stage}) : {items}",
        "en": "Missing checklist items ({stage}): {items}",
    },
    "too_few_items": {
        "fr": "Il faut au moins {count} éléments dans « {field} » ({have} enregistré(s)).",
        "en": "At least {count} entries are needed in “{field}” ({have} recorded).",
    },
    "too_few_items_in_draft": {
        "fr": "Il faut au moins {count} éléments envoyés dans « {field} » : {drafted} saisi(s) "
        "dans le brouillon, à envoyer.",
        "en": "At least {count} submitted entries are needed in “{field}”: {drafted} entered "
        "in the draft, to be submitted.",
    },
    "form_not_submitted_in_draft": {
        "fr": "Le formulaire de l'étape « {stage} » est enregistré en brouillon : il reste à "
        "l'envoyer.",
        "en": "The form of the stage “{stage}” is saved as a draft: it is still to be submitted.",
    },
    "field_mismatch": {
        "fr": "« {field} » doit valoir « {value} » ({stage}).",
        "en": "“{field}” must be “{value}” ({stage}).",
    },
}
FIELD_ERRORS = {
    "required": {"fr": "Ce champ est obligatoire.", "en": "This field is required."},
    "too_long": {"fr": "{max} caractères au maximum.", "en": "At most {max} characters."},
    "not_an_integer": {"fr": "Nombre entier attendu.", "en": "A whole number is expected."},
    "not_a_number": {
        "fr": "Nombre attendu (par exemple 1 280,5).",
        "en": "A number is expected (for example 1280.5).",
    },
    "too_large": {
        "fr": "Nombre trop grand (15 chiffres au plus avant la virgule).",
        "en": "The number is too large (at most 15 digits before the decimal point).",
    },
    "below_min": {"fr": "La valeur minimale est {min}.", "en": "The minimum is {min}."},
    "above_max": {"fr": "La valeur maximale est {max}.", "en": "The maximum is {max}."},
    "not_a_date": {
        "fr": "Date attendue (JJ/MM/AAAA).",
        "en": "A date is expected (YYYY-MM-DD or DD/MM/YYYY).",
    },
    "invalid_choice": {"fr": "Choix non valide.", "en": "Not a valid choice."},
    "invalid_commune": {
        "fr": "Code INSEE de commune attendu (5 caractères, par exemple 87085).",
        "en": "A commune INSEE code is expected (5 characters, for example 87085).",
    },
    "invalid_member": {
        "fr": "Ressourcerie membre non valide.",
        "en": "Not a valid member ressourcerie.",
    },
    "too_few_items": {"fr": "Au moins {min} élément(s).", "en": "At least {min} item(s)."},
    "too_many_items": {"fr": "Au plus {max} élément(s).", "en": "At most {max} item(s)."},
}


def _language(locale: str) -> str:
    """Reduce a locale to "fr" or "en" (French by default)."""
    return "en" if locale[:2].lower() == "en" else "fr"


def _fill(template: str, params: dict[str, Any]) -> str:
    """Fill a template, leaving unknown placeholders visible rather than failing."""
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def describe_field_error(error: "FieldError", locale: str) -> str:
    """Return a short sentence for a field error."""
    texts = FIELD_ERRORS.get(error.code)
    if texts is None:
        return error.code
    return _fill(texts[_language(locale)], dict(error.params))


def describe_refusal(refusal: "Refusal", workflow: "Workflow", locale: str) -> str:
    """Return a sentence for a refusal, naming stages, fields and items by their labels."""
    language = _language(locale)
    texts = REFUSALS.get(refusal.code)
    if refusal.params.get("drafted"):  # what was saved but not sent: say it must be submitted
        texts = REFUSALS.get(f"{refusal.code}_in_draft", texts)
    if texts is None:
        return refusal.code
    return _fill(texts[language], _labelled(refusal.params, workflow, language))


def _labelled(params: Any, workflow: "Workflow", language: str) -> dict[str, Any]:
    """Replace keys in refusal parameters by their labels."""
    shown = dict(params)
    stage = workflow.definition.stage(str(params.get("stage", "")))
    if stage is not None:
        shown["stage"] = stage.label.get(language)
        shown.update(_stage_labels(stage, params, language))
    if "roles" in params:
        words = [ROLE_LABELS.get(r, {}).get(language, r) for r in params["roles"]]
        shown["roles"] = (" ou " if language == "fr" else " or ").join(words)
    if "trigger" in params:
        shown["trigger"] = _trigger_label(workflow, str(params["trigger"]), language)
    return shown


def _stage_labels(stage: Stage, params: Any, language: str) -> dict[str, Any]:
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
        return {True: {"fr": "oui", "en": "yes"}, False: {"fr": "non", "en": "no"}}[value][language]
    return str(value)


def _trigger_label(workflow: "Workflow", trigger: str, language: str) -> str:
    """Label a trigger when all its transitions share one label; else show its key."""
    labels = {
        t.label.get(language) for t in workflow.definition.transitions if t.trigger == trigger
    }
    return labels.pop() if len(labels) == 1 else trigger
