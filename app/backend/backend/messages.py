"""POST /api/messages: validates a message and answers with it, stamped with an id, a time and this pod."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from .errors import ApiError
from .json_body import json_object
from .settings import Settings

MAX_TEXT_LENGTH = 1000


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_message_id() -> str:
    return str(uuid.uuid4())


def iso_utc(moment: datetime) -> str:
    """2026-11-25T22:30:00.123Z: UTC, millisecond precision, Z suffix."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def message_text(payload: dict[str, Any]) -> str:
    """The "text" field, stripped of surrounding whitespace, or the ApiError that says what is wrong with it."""
    if "text" not in payload:
        raise ApiError(400, "missing_field", "The field 'text' is required.", field="text")
    text = payload["text"]
    if not isinstance(text, str):
        raise ApiError(400, "invalid_type", "The field 'text' must be a string.", field="text")
    text = text.strip()
    if not text:
        raise ApiError(400, "empty_field", "The field 'text' must not be empty.", field="text")
    if len(text) > MAX_TEXT_LENGTH:
        raise ApiError(
            400,
            "too_long",
            f"The field 'text' must be at most {MAX_TEXT_LENGTH} characters long; it has {len(text)}.",
            field="text",
        )
    return text


def blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("messages", __name__, url_prefix="/api")

    @bp.post("/messages")
    def create_message() -> tuple[dict[str, Any], int]:
        if settings.test_delay_seconds > 0:
            time.sleep(settings.test_delay_seconds)
        text = message_text(json_object(request))
        return {
            "id": new_message_id(),
            "text": text,
            "received_at": iso_utc(utc_now()),
            "served_by": {"pod": settings.pod, "node": settings.node},
        }, 201

    return bp
