"""The workflow engine: definitions read from YAML, run on the `transitions` library.

Plain Python: it imports neither Flask nor SQLAlchemy, so it can be read and tested alone.
"""

from accompagnement.engine.codes import (
    FIELD_ERROR_CODES,
    LABEL_CHANGE_CODES,
    PROBLEM_CODES,
    REFUSAL_CODES,
    STRUCTURAL_CHANGE_CODES,
)
from accompagnement.engine.compare import Change, compare, label_only
from accompagnement.engine.definition import (
    ChecklistItem,
    Choice,
    Field,
    Form,
    GuardRef,
    Label,
    Stage,
    TaskTemplate,
    TransitionDef,
    WorkflowDefinition,
)
from accompagnement.engine.facts import (
    FormFacts,
    Move,
    Option,
    ProjectFacts,
    Refusal,
    TransitionNotAllowed,
    UnknownStage,
)
from accompagnement.engine.forms import CleanForm
from accompagnement.engine.loader import (
    directory_files,
    load_definition,
    load_directory,
    load_file,
    load_files,
)
from accompagnement.engine.problems import DefinitionError, DefinitionProblem
from accompagnement.engine.tree import (
    WorkflowFiles,
    load_tree,
    load_tree_files,
    network_directories,
)
from accompagnement.engine.values import FieldError
from accompagnement.engine.versions import (
    DuplicateWorkflow,
    Landing,
    UnknownWorkflow,
    WorkflowRegistry,
    landings,
    migration_plan,
)
from accompagnement.engine.workflow import Workflow

__all__ = [
    "FIELD_ERROR_CODES",
    "LABEL_CHANGE_CODES",
    "PROBLEM_CODES",
    "REFUSAL_CODES",
    "STRUCTURAL_CHANGE_CODES",
    "Change",
    "ChecklistItem",
    "Choice",
    "CleanForm",
    "DefinitionError",
    "DefinitionProblem",
    "DuplicateWorkflow",
    "Field",
    "FieldError",
    "Form",
    "FormFacts",
    "GuardRef",
    "Label",
    "Landing",
    "Move",
    "Option",
    "ProjectFacts",
    "Refusal",
    "Stage",
    "TaskTemplate",
    "TransitionDef",
    "TransitionNotAllowed",
    "UnknownStage",
    "UnknownWorkflow",
    "Workflow",
    "WorkflowDefinition",
    "WorkflowFiles",
    "WorkflowRegistry",
    "compare",
    "directory_files",
    "load_definition",
    "load_directory",
    "load_file",
    "label_only",
    "landings",
    "load_files",
    "load_tree",
    "load_tree_files",
    "migration_plan",
    "network_directories",
]
