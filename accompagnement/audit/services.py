"""Record audit events; the trail is append-only (enforced in audit/guard.py)."""

from __future__ import annotations

from typing import Any

from accompagnement.audit.models import AuditEvent
from accompagnement.extensions import db


def record(
    action: str, *, user_id: int | None, project_id: int | None = None, **detail: Any
) -> None:
    """Add one audit event to the current unit of work."""
    db.session.add(AuditEvent(action=action, user_id=user_id, project_id=project_id, detail=detail))
