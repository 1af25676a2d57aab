"""Load and shutdown tests against a real gunicorn (`make soak`; tests/integrity uses it too)."""
