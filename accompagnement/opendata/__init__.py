"""Open data: a network's public figures as a Frictionless Data Package (CLI and public page)."""
