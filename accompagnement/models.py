"""Import every model so that metadata (Alembic, create_all) knows all tables."""

from accompagnement.activities import models as activities_models  # noqa: F401
from accompagnement.audit.models import AuditEvent
from accompagnement.auth.models import ApiToken, NetworkMembership, PartnerScope, User
from accompagnement.door import models as door_models  # noqa: F401
from accompagnement.means import models as means_models  # noqa: F401
from accompagnement.meetings import models as meetings_models  # noqa: F401
from accompagnement.members.models import Member
from accompagnement.network import models as network_models  # noqa: F401
from accompagnement.notifications import models as notifications_models  # noqa: F401
from accompagnement.observatory import models as observatory_models  # noqa: F401
from accompagnement.outbox import models as outbox_models  # noqa: F401
from accompagnement.pathways.models import WorkflowDraft
from accompagnement.projects.models import (
    ChecklistTick,
    Comment,
    Document,
    FormSubmission,
    Project,
    TransitionRecord,
)
from accompagnement.reminders import models as reminders_models  # noqa: F401
from accompagnement.reports import models as reports_models  # noqa: F401
from accompagnement.tasks.models import PersonalFeedKey, Task
from accompagnement.territory.models import Commune, Departement, Epci, WasteSyndicate
from accompagnement.throttle import models as throttle_models  # noqa: F401
from accompagnement.workflows.models import WorkflowSnapshot

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ChecklistTick",
    "Comment",
    "Commune",
    "Departement",
    "Document",
    "Epci",
    "FormSubmission",
    "Member",
    "NetworkMembership",
    "PartnerScope",
    "PersonalFeedKey",
    "Project",
    "Task",
    "TransitionRecord",
    "User",
    "WasteSyndicate",
    "WorkflowDraft",
    "WorkflowSnapshot",
]
