"""Models of the observatory feature."""
