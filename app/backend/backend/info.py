"""GET /api/info: which version, pod and node answered (the page shows it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from .settings import Settings


def blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("info", __name__, url_prefix="/api")

    @bp.get("/info")
    def info() -> dict[str, Any]:
        return {"version": settings.version, "pod": settings.pod, "node": settings.node, "pod_ip": settings.pod_ip}

    return bp
