"""observatory feature."""
