"""Rate-limit counters shared by every worker and machine (they live in the database)."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from accompagnement.extensions import Model


class RateLimitCounter(Model):
    """The hits of one rate-limit window: key (hashed: no address stored), count, end."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int]
    expires_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch (time.time())
