"""The backend's Flask app: a small JSON API behind NGINX. create_app() builds it; wsgi.py serves it."""

from __future__ import annotations

import os

from flask import Flask

from . import info, messages, probes
from .errors import register_error_handlers
from .headers import add_api_headers
from .settings import TEST_DELAY_VARIABLE, Settings

# Request bodies larger than this are refused with 413 (a message is at most 1000 characters).
MAX_BODY_BYTES = 16 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """The app, configured from `settings`, or from the environment when none are given."""
    settings = settings if settings is not None else Settings.from_env(os.environ)

    app = Flask(__name__, static_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        # Always answer an unhandled exception with the JSON 500, also under app.testing.
        PROPAGATE_EXCEPTIONS=False,
        # No automatic OPTIONS answer (an empty text/html 200): the page calls the API from its own origin,
        # so there is no CORS preflight, and OPTIONS gets the JSON 405 with its Allow header like any method.
        PROVIDE_AUTOMATIC_OPTIONS=False,
    )
    # No redirect from /api//info to /api/info: werkzeug would build its Location from the client's Host
    # header (http://evil.example/api/info for "Host: evil.example"). A path with "//" is simply not found.
    app.url_map.merge_slashes = False
    # Keep fields in the documented order ({"status", "code", "message", "field"}, not alphabetical).
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.register_blueprint(probes.blueprint())
    app.register_blueprint(info.blueprint(settings))
    app.register_blueprint(messages.blueprint(settings))
    register_error_handlers(app)
    app.after_request(add_api_headers)

    if settings.test_delay_seconds > 0:
        app.logger.warning(
            "%s=%s: POST /api/messages sleeps on purpose. This is for tests only; never set it in a cluster.",
            TEST_DELAY_VARIABLE,
            settings.test_delay_seconds,
        )
    return app
