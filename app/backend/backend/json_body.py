"""Reads a request body that must be a JSON object, with a precise ApiError for each way it can fail."""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import ApiError


def json_object(request: Request) -> dict[str, Any]:
    """The body as a dict. 415 unless the content type is JSON; 413 over MAX_CONTENT_LENGTH; else 400."""
    # is_json: application/json or application/*+json, with or without parameters such as charset.
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "The request body must be JSON, sent as application/json.")
    raw = body_bytes(request)
    try:
        # From bytes, so json detects UTF-8/16/32 as RFC 8259 allows, whatever charset the header claims.
        payload = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "malformed_json",
            f"Request body is not valid JSON: {error.msg}: line {error.lineno} column {error.colno}.",
        ) from None
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "Request body is not valid JSON: it is not UTF-8 text.") from None
    except RecursionError:
        # A few thousand nested brackets fit in 16 KiB and exceed the interpreter's recursion limit.
        raise ApiError(400, "malformed_json", "Request body is not valid JSON: it is nested too deeply.") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_body", 'The request body must be a JSON object, like {"text": "hello"}.')
    return payload


def body_bytes(request: Request) -> bytes:
    """The whole body; RequestEntityTooLarge (413) when it is longer than MAX_CONTENT_LENGTH; a 400 ApiError when
    the server cannot read it (a malformed or unfinished chunked encoding)."""
    try:
        return _read_body(request)
    except OSError:
        # gunicorn reports a bad chunk size, a missing chunk terminator or a body cut short as an IOError while
        # the app reads; the client sent a broken message, which is a 400, not the server's 500.
        raise ApiError(
            400,
            "malformed_body",
            "The request body could not be read: its chunked encoding is malformed or it ends early.",
        ) from None


def _read_body(request: Request) -> bytes:
    limit = request.max_content_length
    if limit is None or request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        # Werkzeug refuses a Content-Length over the limit before reading, and reads no more than it declares.
        # A body with neither a length nor a server that terminates the stream reads as empty.
        return request.get_data(cache=False)
    # A chunked body, de-chunked by the server (gunicorn sets wsgi.input_terminated). Werkzeug's own limited
    # stream stops silently at the limit here, which would truncate a large body rather than refuse it, so
    # read up to one byte past the limit from the server's stream.
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = request.input_stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise RequestEntityTooLarge()
    return b"".join(chunks)
