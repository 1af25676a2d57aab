"""Pages of the projects feature: the pipeline board, a project's page and what it links to.

Every module adds its routes to the one blueprint `bp` (defined in `blueprint`): the board and
"my projects" (`pipeline`), the project page and its actions (`project`), the stage forms
(`stage_forms`), the documents (`documents`), the holders (`holders`) and a project joining
the network (`membership`), and moving projects to another version of their pathway (`moves`).
"""

from accompagnement.projects.views import (
    documents,
    holders,
    membership,
    moves,
    pipeline,
    project,
    stage_forms,
)
from accompagnement.projects.views.blueprint import bp

__all__ = [
    "bp",
    "documents",
    "holders",
    "membership",
    "moves",
    "pipeline",
    "project",
    "stage_forms",
]
