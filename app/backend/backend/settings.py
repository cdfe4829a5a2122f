"""What the app reads from its environment, read once when the app is created."""

from __future__ import annotations

import math
import socket
from collections.abc import Mapping
from dataclasses import dataclass

# Only for tests of a slow backend (e.g. NGINX's proxy_read_timeout). It must never be set in a cluster.
TEST_DELAY_VARIABLE = "BACKEND_TEST_DELAY_SECONDS"


@dataclass(frozen=True)
class Settings:
    """version: APP_VERSION. pod, node, pod_ip: set by the Kubernetes downward API."""

    version: str
    pod: str
    node: str
    pod_ip: str
    # Seconds POST /api/messages sleeps before doing anything; 0 (the default) means no delay.
    test_delay_seconds: float = 0.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Unset and empty variables both take the default."""
        return cls(
            version=environ.get("APP_VERSION") or "dev",
            pod=environ.get("POD_NAME") or socket.gethostname(),
            node=environ.get("NODE_NAME") or "unknown",
            pod_ip=environ.get("POD_IP") or "unknown",
            test_delay_seconds=_seconds(environ, TEST_DELAY_VARIABLE),
        )


def _seconds(environ: Mapping[str, str], name: str) -> float:
    raw = environ.get(name) or "0"
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number of seconds >= 0, got {raw!r}")
    return value
