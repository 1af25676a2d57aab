"""Models of the activities feature."""
