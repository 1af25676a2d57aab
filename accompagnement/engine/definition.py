"""The pydantic models of a workflow definition (the structure of a `workflows/*.yaml` file)."""

from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PositiveInt,
    PrivateAttr,
    StringConstraints,
)
from pydantic import Field as Constraint
from pydantic_core import PydanticCustomError

FieldType = Literal[
    "text", "long_text", "integer", "decimal", "money", "date", "boolean",
    "choice", "multi_choice", "commune", "member", "departement", "organisation", "group",
]  # fmt: skip
StageKind = Literal["stage", "hold", "final"]
Role = Literal["coordinator", "holder"]
Assignee = Literal["holders", "coordinator"]
ReasonPolicy = Literal["none", "optional", "required"]

FIELD_TYPES: tuple[str, ...] = get_args(FieldType)
# Types whose choices are not written in the file but given at run time by the application
# (`departement`: the départements of the network running the workflow; `organisation`: the
# network's partner organisations, offered as suggestions of a free text, stored as the name).
RUNTIME_CHOICE_TYPES: tuple[str, ...] = ("departement", "organisation")
STAGE_KINDS: tuple[str, ...] = get_args(StageKind)
ROLES: tuple[str, ...] = get_args(Role)
ASSIGNEES: tuple[str, ...] = get_args(Assignee)
MAX_DUE_DAYS = 3650
REASON_POLICIES: tuple[str, ...] = get_args(ReasonPolicy)
ALL_STAGES = "*"
RETURN = "@return"

SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
CHOICE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]


def _label_input(value: Any) -> Any:
    """Accept a bare string as a French-only label."""
    return {"fr": value} if isinstance(value, str) else value


def _choice_key_input(value: Any) -> Any:
    """Accept an unquoted number as a choice key (e.g. département 19)."""
    is_number = isinstance(value, int) and not isinstance(value, bool)
    return str(value) if is_number else value


def _number_input(value: Any) -> Any:
    """Turn a YAML int or float into an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("expected_number", "expected a number")
    return Decimal(str(value))


def _source_input(value: Any) -> Any:
    """Check a transition source is a stage key, a list of stage keys or '*'."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return value
    raise PydanticCustomError("invalid_source", "expected a stage key, a list of them, or '*'")


def _guard_input(value: Any) -> Any:
    """Turn `name` or `{name: {params}}` into {name, params}."""
    if isinstance(value, str):
        return {"name": value, "params": {}}
    if isinstance(value, dict) and len(value) == 1:
        name, params = next(iter(value.items()))
        if params is None:
            params = {}
        if isinstance(name, str) and isinstance(params, dict):
            return {"name": name, "params": params}
    raise PydanticCustomError(
        "invalid_guard", "expected a guard name, or a guard name with its parameters"
    )


class Model(BaseModel):
    """Base of the definition models: strict, closed to unknown keys, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Label(Model):
    """A text shown to people, in French and optionally in English."""

    fr: Annotated[str, StringConstraints(min_length=1)]
    en: str | None = None

    def get(self, locale: str) -> str:
        """Return the text in `locale` ("fr", "en", "en_GB"...), falling back to French."""
        if locale[:2].lower() == "en" and self.en:
            return self.en
        return self.fr

    def __str__(self) -> str:
        return self.fr


LabelIn = Annotated[Label, BeforeValidator(_label_input)]
ChoiceKey = Annotated[
    str, StringConstraints(pattern=CHOICE_PATTERN), BeforeValidator(_choice_key_input)
]
Bound = Annotated[Decimal, BeforeValidator(_number_input)]


class Choice(Model):
    """One allowed answer of a choice or multi_choice field."""

    key: ChoiceKey
    label: LabelIn


class Field(Model):
    """One field of a stage form; a `group` field repeats its sub-fields."""

    key: Slug
    type: FieldType
    label: LabelIn
    help: LabelIn | None = None
    required: bool = False
    max_length: PositiveInt | None = None
    min: Bound | None = None
    max: Bound | None = None
    unit: LabelIn | None = None
    choices: list[Choice] | None = None
    fields: list["Field"] | None = None
    min_items: Annotated[int, Constraint(ge=0)] | None = None
    max_items: PositiveInt | None = None

    def choice(self, key: str) -> Choice | None:
        """Return the choice with this key, if any."""
        return next((c for c in self.choices or () if c.key == key), None)

    def subfield(self, key: str) -> "Field | None":
        """Return the sub-field of a group with this key, if any."""
        return next((f for f in self.fields or () if f.key == key), None)


class Form(Model):
    """The form of a stage."""

    fields: Annotated[list[Field], Constraint(min_length=1)]

    def field(self, key: str) -> Field | None:
        """Return the top-level field with this key, if any."""
        return next((f for f in self.fields if f.key == key), None)


class ChecklistItem(Model):
    """One item the coordinator ticks in a stage."""

    key: Slug
    label: LabelIn
    required: bool = True


class TaskTemplate(Model):
    """A task created once for a project when it enters the stage (key unique in the stage)."""

    key: Slug
    title: LabelIn
    assignee: Assignee
    due_days: Annotated[int, Constraint(ge=0, le=MAX_DUE_DAYS)]


class Stage(Model):
    """A state of the workflow: a pathway step, a side (hold) state or a final outcome."""

    key: Slug
    kind: StageKind = "stage"
    label: LabelIn
    description: LabelIn | None = None
    usual_days: PositiveInt | None = None
    form: Form | None = None
    checklist: list[ChecklistItem] = []
    tasks: list[TaskTemplate] = []

    def field(self, key: str) -> Field | None:
        """Return the top-level form field with this key, if any."""
        return self.form.field(key) if self.form else None


class GuardRef(Model):
    """A guard of a transition, by name, with its parameters (checked by `guards`)."""

    name: str
    params: dict[str, Any]


class TransitionDef(Model):
    """A transition as written in the file (before `*` and `@return` are expanded)."""

    trigger: Slug
    label: LabelIn
    source: Annotated[str | list[str], BeforeValidator(_source_input)]
    dest: str
    roles: Annotated[list[Role], Constraint(min_length=1)]
    reason: ReasonPolicy = "none"
    guards: list[Annotated[GuardRef, BeforeValidator(_guard_input)]] = []


class WorkflowDefinition(Model):
    """A whole workflow version: stages, their forms and checklists, and transitions."""

    name: Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
    version: PositiveInt
    label: LabelIn
    description: LabelIn | None = None
    default: bool = False
    initial: str
    stages: Annotated[list[Stage], Constraint(min_length=1)]
    transitions: list[TransitionDef] = []
    _source_text: str = PrivateAttr(default="")
    _origin: str = PrivateAttr(default="")

    @property
    def source_text(self) -> str:
        """Return the YAML text this definition was loaded from."""
        return self._source_text

    @property
    def origin(self) -> str:
        """Return where the definition was loaded from (a file path, a snapshot name...)."""
        return self._origin

    def stage(self, key: str) -> Stage | None:
        """Return the stage with this key, if any."""
        return next((s for s in self.stages if s.key == key), None)

    def stage_keys(self) -> list[str]:
        """Return the stage keys in definition order."""
        return [s.key for s in self.stages]
