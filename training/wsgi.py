"""WSGI entry point for gunicorn: `gunicorn training.wsgi:app`."""

from training import create_app

app = create_app()
