"""activities feature."""
