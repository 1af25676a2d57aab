"""reminders feature."""
