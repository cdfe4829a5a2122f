"""Fixtures shared by the backend's tests."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from backend import create_app, lifecycle
from backend.settings import Settings

# Detailed assertion messages in the shared assertion helpers too (the test modules import it after this).
pytest.register_assert_rewrite("api_assertions")

SETTINGS = Settings(version="1.2.3", pod="backend-7d9f-abcde", node="node-a", pod_ip="10.244.1.17")


@pytest.fixture(autouse=True)
def not_draining(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with a process that is not shutting down, and leaves none behind."""
    monkeypatch.setattr(lifecycle, "_draining", False)


@pytest.fixture
def app() -> Flask:
    return create_app(SETTINGS)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
