"""WSGI entry point for gunicorn: `gunicorn training.wsgi:app`."""

import jieba

from training import create_app

app = create_app()
# jieba reads its dictionary on first use (1–4 s); do it as the worker starts, so the first
# typed role-play reply or manual search after a deploy does not wait for it.
jieba.initialize()
