"""Notifications: who is told of what, when (now, in the daily digest, never), in their language."""
