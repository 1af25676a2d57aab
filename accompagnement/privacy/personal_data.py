"""What every column of the database holds, for the GDPR: the classification the privacy
services follow, and which a test compares with the models (a new column must be classified).

For every table: how its rows relate to a person (`owner` columns hold the person's user id,
`email` columns the person's address, `project` the id of a project the person holds), when its
rows go (`purge_column`: deleted RETENTION_YEARS after that date), and for every column:
- personal: the value identifies a person or may contain details about one (free text);
- retention: how long it is kept (see Retention, and docs/privacy.md);
- exported: included in the person's export (secrets and technical counters are not);
- erasure: what anonymising the person does to it, on the rows the person owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import MetaData

from accompagnement.observatory.indicators import KEYS as OBSERVATORY_FIGURES


class Retention(StrEnum):
    """How long a column is kept (the durations are set in docs/privacy.md)."""

    REFERENCE = "reference"  # public reference data, kept while useful
    ACCOUNT = "account"  # until the account is anonymised (on request, or by the purge)
    PROJECT = "project"  # as long as the network's statistics need it
    LOG = "log"  # RETENTION_YEARS, then deleted by the purge
    FOREVER = "forever"  # the pipeline's history and the workflow versions


class Erasure(StrEnum):
    """What anonymising a person does to a column of the rows they own."""

    KEEP = "keep"
    NULL = "null"  # cleared
    PLACEHOLDER = "placeholder"  # text replaced by a fixed placeholder
    PSEUDONYM = "pseudonym"  # "Personne anonymisée #<id>"
    EMAIL = "email"  # anonyme-<id>@anonyme.invalid (unique, undeliverable)
    TOKEN = "token"  # noqa: S105  (a fresh random token signs out, revokes feeds)
    FILENAME = "filename"  # document-<id>.<extension>
    NOW = "now"  # the time of anonymisation


@dataclass(frozen=True)
class Column:
    """The classification of one column."""

    personal: bool = False
    exported: bool = False
    erasure: Erasure = Erasure.KEEP
    retention: Retention | None = None  # None: the table's retention
    note: str = ""


@dataclass(frozen=True)
class Table:
    """The classification of one table and of each of its columns."""

    retention: Retention
    columns: dict[str, Column]
    owner: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    project: str | None = None
    purge_column: str | None = None
    note: str = ""

    def retention_of(self, column: str) -> Retention:
        """Return the retention of a column (its own, else the table's)."""
        return self.columns[column].retention or self.retention


def plain() -> Column:
    """Not personal, not exported, kept."""
    return Column()


def shown() -> Column:
    """Not personal, exported, kept."""
    return Column(exported=True)


def personal(erasure: Erasure = Erasure.KEEP, *, exported: bool = True, note: str = "") -> Column:
    """Personal data, exported unless said otherwise."""
    return Column(personal=True, exported=exported, erasure=erasure, note=note)


def secret(erasure: Erasure) -> Column:
    """A credential tied to a person: never exported, replaced on anonymisation."""
    return Column(personal=True, exported=False, erasure=erasure, note="secret")


def _all(kind: Column, *names: str) -> dict[str, Column]:
    return dict.fromkeys(names, kind)


FREE_TEXT = "free text: may name people; writers are asked to write about the project"

REGISTRY: dict[str, Table] = {
    # Reference data: the territory.
    "regions": Table(Retention.REFERENCE, _all(plain(), "code", "name")),
    "departements": Table(Retention.REFERENCE, _all(plain(), "code", "name", "region_code")),
    "epcis": Table(Retention.REFERENCE, _all(plain(), "id", "siren", "name", "kind")),
    "waste_syndicates": Table(Retention.REFERENCE, _all(plain(), "id", "name")),
    "communes": Table(
        Retention.REFERENCE,
        _all(
            plain(),
            *("insee", "name", "departement_code", "epci_id", "syndicate_id", "population"),
            *("postal_codes", "search_key"),
        ),
    ),
    "commune_aliases": Table(
        Retention.REFERENCE, _all(plain(), "code", "name", "kind", "commune_insee")
    ),
    # Accounts.
    "users": Table(
        Retention.ACCOUNT,
        {
            **_all(shown(), "id", "instance_role", "active", "member_id", "created_at"),
            "last_network_id": shown(),
            "organisation_id": shown(),
            **_all(shown(), "locale", "last_login_at", "failed_logins", "locked_until"),
            "email": personal(Erasure.EMAIL),
            "name": personal(Erasure.PSEUDONYM),
            "phone": personal(Erasure.NULL),
            "organisation": personal(Erasure.NULL),
            "password_hash": secret(Erasure.NULL),
            "session_token": secret(Erasure.TOKEN),
            "anonymised_at": Column(exported=True, erasure=Erasure.NOW),
        },
        owner=("id",),
    ),
    "network_memberships": Table(
        Retention.ACCOUNT,
        _all(shown(), "id", "user_id", "role", "created_at", "network_id"),
        owner=("user_id",),
    ),
    "partner_scopes": Table(
        Retention.ACCOUNT, _all(shown(), "user_id", "departement_code"), owner=("user_id",)
    ),
    "calendar_tokens": Table(
        Retention.ACCOUNT,
        {**_all(shown(), "id", "user_id", "created_at"), "token": secret(Erasure.TOKEN)},
        owner=("user_id",),
    ),
    "api_tokens": Table(
        Retention.ACCOUNT,
        {
            **_all(shown(), "id", "user_id", "network_id", "name", "scope", "prefix"),
            **_all(shown(), "expires_at", "created_at", "last_used_at"),
            "token_hash": secret(Erasure.TOKEN),
            "revoked_at": Column(exported=True, erasure=Erasure.NOW),
        },
        owner=("user_id",),
        note="the API's personal access tokens (the secret's hash); anonymising revokes them",
    ),
    # The network.
    "networks": Table(
        Retention.REFERENCE,
        {
            **_all(plain(), "id", "name", "short_name", "default_workflow", "created_at"),
            **_all(plain(), "report_title", "report_intro", "report_footer"),
        },
        note="the network's own settings and report texts: not about a person",
    ),
    "network_departements": Table(
        Retention.REFERENCE, _all(plain(), "network_id", "departement_code")
    ),
    "network_plan_items": Table(
        Retention.REFERENCE, _all(plain(), "network_id", "activity_type", "per_year")
    ),
    "partner_organisations": Table(
        Retention.REFERENCE,
        _all(plain(), "id", "network_id", "name", "kind", "departement_code", "active"),
        note="organisations (ADEME, a Région...), never people",
    ),
    # The coordination's means: structures and organisations, never people.
    "means_staff_time": Table(
        Retention.PROJECT, _all(plain(), "id", "year", "structure", "fte", "created_at")
    ),
    "means_budget_lines": Table(
        Retention.PROJECT, _all(plain(), "id", "year", "label", "kind", "amount", "created_at")
    ),
    "means_funding": Table(
        Retention.PROJECT,
        _all(plain(), "id", "year", "organisation_id", "amount", "created_at"),
    ),
    "members": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "name", "kind", "status"),
            **_all(plain(), "commune_insee", "departement_code", "joined_on", "left_on"),
            **_all(plain(), "does_collecte", "does_valorisation", "does_vente"),
            **_all(plain(), "does_sensibilisation", "website", "project_id", "created_at"),
            "contact_name": personal(Erasure.NULL),
            "contact_email": personal(Erasure.NULL),
            "contact_phone": personal(Erasure.NULL),
        },
        email=("contact_email",),
        note="a member's contact person is found by e-mail address",
    ),
    "activities": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "date", "end_date", "type", "title", "visitor", "status"),
            **_all(plain(), "partner", "participants", "created_at", "updated_at"),
            "notes": personal(exported=False, note=FREE_TEXT),
            "created_by_id": shown(),
        },
        owner=("created_by_id",),
        note="network activities: the author link is exported; the records are the network's",
    ),
    "activity_members": Table(Retention.PROJECT, _all(plain(), "activity_id", "member_id")),
    "observatory_reports": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "member_id", "year", "created_by_id", "updated_by_id"),
            **_all(plain(), "created_at", "updated_at", "revision"),
            **_all(plain(), *OBSERVATORY_FIGURES),
        },
        owner=("created_by_id", "updated_by_id"),
        note="a member structure's yearly figures: not personal",
    ),
    # Saved steering committee reports.
    "saved_reports": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "name", "start_on", "end_on", "departement_code"),
            **_all(shown(), "created_by_id", "created_at", "updated_at"),
            **_all(shown(), "frozen_at", "frozen_by_id"),
            "snapshot": plain(),
        },
        owner=("created_by_id", "frozen_by_id"),
        note="a named report of the network to its funders, and its frozen figures",
    ),
    "saved_report_versions": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "report_id", "number", "author_id", "created_at"),
            **_all(
                personal(note="the network's report as adopted: kept when its author goes"),
                "highlights",
                "difficulties",
                "outlook",
            ),
        },
        owner=("author_id",),
        note="the narrative of a saved report, one row per save",
    ),
    # Projects.
    "projects": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "name", "workflow_name", "workflow_version", "state"),
            **_all(shown(), "return_state", "state_changed_at", "commune_insee"),
            **_all(shown(), "created_at", "updated_at"),
            "lock_version": plain(),
        },
        project="id",
        note="the name is the project's, not a person's",
    ),
    "project_holders": Table(
        Retention.PROJECT, _all(shown(), "project_id", "user_id"), owner=("user_id",)
    ),
    "workflow_snapshots": Table(
        Retention.FOREVER,
        {
            **_all(plain(), "name", "version", "source", "sha256", "recorded_at", "network_id"),
            **_all(plain(), "label_revision", "revised_at"),
            **_all(shown(), "published_by_id", "revised_by_id"),
        },
        owner=("published_by_id", "revised_by_id"),
        note="a published pathway version; who published it is shown in their export",
    ),
    "workflow_drafts": Table(
        Retention.PROJECT,
        {
            **_all(plain(), "id", "network_id", "name", "base_version", "definition"),
            **_all(shown(), "updated_at", "updated_by"),
        },
        owner=("updated_by",),
        note="a pathway being written by the coordination: stages, forms, rules; no project data",
    ),
    "form_submissions": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "stage", "revision", "status", "author_id"),
            "created_at": shown(),
            "data": personal(note="project data, kept for statistics; " + FREE_TEXT),
        },
        owner=("author_id",),
        project="project_id",
    ),
    "project_visits": Table(
        Retention.PROJECT,
        _all(shown(), "id", "project_id", "submission_id", "position", "day", "member_id"),
        project="project_id",
        note="the visits of the newest submitted visits form, as rows: dates and ressourceries",
    ),
    "project_funding_lines": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "submission_id", "position", "funder", "kind"),
            **_all(shown(), "status", "amount", "requested_on", "decided_on", "day"),
        },
        project="project_id",
        note="the funding plan of the newest submitted study form, as rows: funders and amounts",
    ),
    "checklist_ticks": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "stage", "item", "done", "user_id", "at"),
            "note": personal(note=FREE_TEXT),
        },
        owner=("user_id",),
        project="project_id",
    ),
    "tasks": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "stage", "template", "assignee", "due_on"),
            **_all(shown(), "assignee_id", "done_at", "done_by_id", "created_by_id"),
            **_all(shown(), "created_at", "updated_at"),
            "lock_version": plain(),
            "title": personal(note=FREE_TEXT),
            "notes": personal(Erasure.PLACEHOLDER, note=FREE_TEXT),
        },
        owner=("assignee_id", "done_by_id", "created_by_id"),
        project="project_id",
        note="what the project's people have to do; notes are cleared with their owner",
    ),
    "personal_feed_keys": Table(
        Retention.ACCOUNT,
        {**_all(shown(), "id", "user_id", "created_at"), "secret": secret(Erasure.TOKEN)},
        owner=("user_id",),
        note="the secret behind a calendar feed address; a fresh one revokes the address",
    ),
    "transition_records": Table(
        Retention.FOREVER,
        {
            **_all(shown(), "id", "project_id", "workflow_version", "trigger", "from_state"),
            **_all(shown(), "to_state", "return_state", "user_id", "at", "source"),
            "reason": personal(note="append-only; " + FREE_TEXT),
        },
        owner=("user_id",),
        project="project_id",
        note="append-only: kept for the pipeline statistics; the author is pseudonymised",
    ),
    "stage_entries": Table(
        Retention.FOREVER,
        _all(plain(), "project_id", "stage", "workflow_name", "entered_at", "days", "since"),
        note="days spent in each state, derived from transition_records: no person in it",
    ),
    "comments": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "author_id", "created_at"),
            "body": personal(Erasure.PLACEHOLDER),
        },
        owner=("author_id",),
        project="project_id",
    ),
    "documents": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "stage", "content_type", "size"),
            **_all(shown(), "uploaded_by_id", "uploaded_at"),
            "original_name": personal(Erasure.FILENAME),
            "storage_name": plain(),
        },
        owner=("uploaded_by_id",),
        project="project_id",
        note="the files are the project's; only their metadata is exported",
    ),
    # Logs.
    "audit_events": Table(
        Retention.LOG,
        {
            **_all(shown(), "id", "at", "user_id", "project_id", "action"),
            "detail": personal(note="append-only; may hold an address typed at sign-in"),
        },
        owner=("user_id",),
        purge_column="at",
        note="append-only; deleted by the purge (except privacy.* events, kept as proof)",
    ),
    "notification_logs": Table(
        Retention.LOG,
        _all(shown(), "id", "user_id", "day", "kind", "sent_at"),
        owner=("user_id",),
        purge_column="sent_at",
    ),
    "exchanges": Table(
        Retention.PROJECT,
        {
            **_all(shown(), "id", "project_id", "stage", "kind", "at", "minutes"),
            **_all(shown(), "coordinator_id", "created_at", "revision"),
            "participants": personal(note="names of the people who took part"),
            "notes": personal(note=FREE_TEXT),
            "next_steps": personal(note=FREE_TEXT),
        },
        owner=("coordinator_id",),
        project="project_id",
        note="the coordination's meetings, calls and visits with a project, and their duration",
    ),
    "project_requests": Table(
        Retention.LOG,
        {
            **_all(shown(), "id", "status", "holder_type", "locale", "created_at"),
            **_all(shown(), "confirmed_at", "decided_at", "decided_by_id", "project_id"),
            **_all(shown(), "project_name", "commune_insee", "commune_text"),
            "contact_name": personal(Erasure.PSEUDONYM),
            "email": personal(Erasure.EMAIL),
            "phone": personal(Erasure.NULL),
            "description": personal(Erasure.PLACEHOLDER, note=FREE_TEXT),
            "decline_message": personal(Erasure.PLACEHOLDER, note=FREE_TEXT),
        },
        email=("email",),
        purge_column="created_at",
        note="requests made on the public page; unconfirmed ones are deleted once their link "
        "expires (DOOR_CONFIRM_HOURS), the others after the retention period",
    ),
    "notification_preferences": Table(
        Retention.ACCOUNT,
        _all(shown(), "user_id", "kind", "delivery", "changed_at"),
        owner=("user_id",),
    ),
    "digest_items": Table(
        Retention.LOG,
        {
            **_all(shown(), "id", "user_id", "kind", "project_id", "path", "created_at"),
            "params": personal(note="names of a project and of who acted; deleted by the digest"),
        },
        owner=("user_id",),
        purge_column="created_at",
    ),
    "outbox_messages": Table(
        Retention.LOG,
        {
            **_all(shown(), "id", "user_id", "kind", "status", "created_at", "sent_at"),
            **_all(plain(), "headers", "attempts", "next_attempt_at", "claim", "claimed_at"),
            "recipient": personal(Erasure.EMAIL),
            "subject": personal(Erasure.PLACEHOLDER),
            "body": secret(Erasure.PLACEHOLDER),
            "last_error": plain(),
        },
        owner=("user_id",),
        email=("recipient",),
        purge_column="created_at",
        note="e-mails waiting or sent; the body (live password links) is cleared once sent, "
        "settled messages deleted after OUTBOX_KEEP_DAYS",
    ),
    "rate_limit_counters": Table(
        Retention.LOG,
        _all(plain(), "key", "hits", "expires_at"),
        note="hashed keys (no address stored); a window lives minutes, then is deleted",
    ),
}


# Which network holds a row (accompagnement.tenancy): not personal, exported with the row.
NETWORK_OWNED = (
    "projects", "form_submissions", "project_visits", "project_funding_lines", "checklist_ticks",
    "transition_records", "stage_entries", "comments", "documents", "tasks",
    "personal_feed_keys", "exchanges", "activities", "calendar_tokens", "members",
    "observatory_reports", "means_staff_time", "means_budget_lines", "means_funding",
    "project_requests", "digest_items", "saved_reports", "saved_report_versions",
    "partner_scopes",
)  # fmt: skip
for _name in NETWORK_OWNED:
    REGISTRY[_name].columns["network_id"] = shown()


def unclassified(metadata: MetaData) -> list[str]:
    """Return "table.column" for every column of the metadata missing from the registry."""
    missing = []
    for name, table in metadata.tables.items():
        policy = REGISTRY.get(name)
        for column in table.columns:
            if policy is None or column.name not in policy.columns:
                missing.append(f"{name}.{column.name}")
    return sorted(missing)


def stale(metadata: MetaData) -> list[str]:
    """Return "table.column" for every registry entry that no longer exists in the metadata."""
    gone = []
    for name, policy in REGISTRY.items():
        table = metadata.tables.get(name)
        for column in policy.columns:
            if table is None or column not in table.columns:
                gone.append(f"{name}.{column}")
    return sorted(gone)


__all__ = ["REGISTRY", "Column", "Erasure", "Retention", "Table", "stale", "unclassified"]
