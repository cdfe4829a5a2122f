"""Kubernetes probes. Liveness: the process answers. Readiness: it also wants new traffic."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from . import lifecycle


def blueprint() -> Blueprint:
    bp = Blueprint("probes", __name__, url_prefix="/api")

    @bp.get("/healthz")
    def healthz() -> dict[str, Any]:
        # Stays 200 while draining: a pod that is shutting down cleanly must not be restarted.
        return {"status": "ok"}

    @bp.get("/readyz")
    def readyz() -> tuple[dict[str, Any], int]:
        if lifecycle.is_draining():
            return {"status": "shutting-down"}, 503
        return {"status": "ready"}, 200

    return bp
