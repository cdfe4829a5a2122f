"""The WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app` (gunicorn.conf.py sets chdir to this folder)."""

from backend import create_app

app = create_app()
