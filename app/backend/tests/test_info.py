import pytest
from api_assertions import assert_json_response, error_body

from backend import create_app

DOWNWARD_API = ("APP_VERSION", "POD_NAME", "NODE_NAME", "POD_IP")


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*DOWNWARD_API, "BACKEND_TEST_DELAY_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_info_reports_the_settings(client):
    assert_json_response(
        client.get("/api/info"),
        200,
        {"version": "1.2.3", "pod": "backend-7d9f-abcde", "node": "node-a", "pod_ip": "10.244.1.17"},
    )


def test_info_reads_the_environment(clean_env):
    clean_env.setenv("APP_VERSION", "src-3f2a9c1b7d4e")
    clean_env.setenv("POD_NAME", "backend-5c6b7-xyz12")
    clean_env.setenv("NODE_NAME", "minikube")
    clean_env.setenv("POD_IP", "10.244.0.9")
    response = create_app().test_client().get("/api/info")
    assert_json_response(
        response,
        200,
        {"version": "src-3f2a9c1b7d4e", "pod": "backend-5c6b7-xyz12", "node": "minikube", "pod_ip": "10.244.0.9"},
    )


@pytest.mark.parametrize("unset", ["missing", "empty"])
def test_info_defaults_without_the_downward_api(clean_env, unset):
    if unset == "empty":
        for name in DOWNWARD_API:
            clean_env.setenv(name, "")
    clean_env.setattr("socket.gethostname", lambda: "dev-laptop")
    response = create_app().test_client().get("/api/info")
    assert_json_response(response, 200, {"version": "dev", "pod": "dev-laptop", "node": "unknown", "pod_ip": "unknown"})


def test_info_is_get_only(client):
    response = client.post("/api/info", json={})
    assert_json_response(
        response,
        405,
        error_body(405, "method_not_allowed", "The POST method is not allowed on this endpoint."),
    )
    assert response.headers["Allow"] == "GET, HEAD"
