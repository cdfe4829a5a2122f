"""Once SIGTERM arrived (the hook calls lifecycle.begin_draining), the worker drains."""

import pytest
from api_assertions import assert_json_response, error_body

from backend import lifecycle


@pytest.fixture
def draining_client(client):
    lifecycle.begin_draining()
    assert lifecycle.is_draining()
    return client


def test_readyz_is_503_shutting_down(draining_client):
    response = draining_client.get("/api/readyz")
    assert_json_response(response, 503, {"status": "shutting-down"})
    assert response.headers["Connection"] == "close"


def test_healthz_stays_200_so_the_pod_is_not_restarted(draining_client):
    response = draining_client.get("/api/healthz")
    assert_json_response(response, 200, {"status": "ok"})
    assert response.headers["Connection"] == "close"


def test_requests_are_still_served_with_connection_close(draining_client):
    info = draining_client.get("/api/info")
    assert (info.status_code, info.headers["Connection"]) == (200, "close")

    message = draining_client.post("/api/messages", json={"text": "still here"})
    assert (message.status_code, message.get_json()["text"], message.headers["Connection"]) == (
        201,
        "still here",
        "close",
    )


def test_errors_close_the_connection_too(draining_client):
    response = draining_client.get("/api/nope")
    assert_json_response(response, 404, error_body(404, "not_found", "There is no API endpoint at this path."))
    assert response.headers["Connection"] == "close"


def test_draining_is_idempotent(draining_client):
    lifecycle.begin_draining()
    assert draining_client.get("/api/readyz").status_code == 503
