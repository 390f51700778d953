"""The WSGI entry point for production servers: ``gunicorn wsgi:app``."""

from lms import create_app

app = create_app()
