"""WSGI entry point: `gunicorn wsgi:app`."""

from accompagnement import create_app

app = create_app()
