"""Headers on every response of the API, errors included."""

from __future__ import annotations

from flask import Response

from . import lifecycle


def add_api_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    if lifecycle.is_draining():
        # Tells keep-alive clients (NGINX) to stop reusing this connection. PEP 3333 leaves hop-by-hop headers
        # to the server, and gunicorn silently drops this one: under gunicorn, the pre_request hook in
        # gunicorn.conf.py is what makes gunicorn send "Connection: close" and close the socket. Setting it
        # here too keeps the behaviour visible in the Flask test client and Werkzeug's development server.
        response.headers["Connection"] = "close"
    return response
