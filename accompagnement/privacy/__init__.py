"""privacy feature."""
