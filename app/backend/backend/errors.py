"""The API's one error shape, for its own errors and for every HTTP error Flask or Werkzeug raises.

    {"error": {"status": 400, "code": "missing_field", "message": "...", "field": "text"}}

"field" is present only for errors about one field of the request body. Never an HTML page, never a
traceback: an unhandled exception is logged by Flask (with its traceback, to stderr) before it reaches
handle_http_exception as a 500.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed


class ApiError(Exception):
    """An error the API reports to its client as it is."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    body: dict[str, object] = {"status": status, "code": code, "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _http_error_message(error: HTTPException) -> str:
    """A sentence for the HTTP errors this API can produce; Werkzeug's own description for the others."""
    if error.code == 404:
        return "There is no API endpoint at this path."
    if error.code == 405:
        return f"The {request.method} method is not allowed on this endpoint."
    if error.code == 413:
        return f"The request body is larger than the limit of {current_app.config['MAX_CONTENT_LENGTH']} bytes."
    if error.code == 500:
        return "The server hit an unexpected error."
    return error.description or error.name


# Codes that differ from Werkzeug's names: "Request Entity Too Large" is "Content Too Large" since RFC 9110.
_CODES = {413: "payload_too_large", 500: "internal_error"}


def _http_error_code(error: HTTPException) -> str:
    """Werkzeug's name in snake case, e.g. "Method Not Allowed" -> "method_not_allowed"."""
    code = error.code or 500
    return _CODES.get(code) or re.sub(r"[^a-z0-9]+", "_", error.name.lower()).strip("_")


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_response(status, _http_error_code(error), _http_error_message(error))
    # Keep what the error adds besides its body, e.g. 405's Allow.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        # Werkzeug lists them in set order, which changes from one process to the next.
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def handle_api_error(error: ApiError) -> Response:
    return error_response(error.status, error.code, error.message, error.field)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    # Flask turns any unhandled exception into an InternalServerError (an HTTPException) after logging it.
    app.register_error_handler(HTTPException, handle_http_exception)
