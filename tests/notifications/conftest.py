"""Fixtures of the notifications tests: links on the network's public address, the outbox."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from accompagnement.extensions import db
from accompagnement.outbox.models import OutboxMessage

BASE = "https://reseau.example.org"


@pytest.fixture(autouse=True)
def _base_url(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mails link to the network's public address."""
    monkeypatch.setitem(app.config, "BASE_URL", BASE)


def queued() -> list[OutboxMessage]:
    """Return the messages of the outbox, oldest first, as stored now."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
