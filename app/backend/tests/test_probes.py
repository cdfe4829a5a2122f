from api_assertions import assert_json_response


def test_healthz_is_ok(client):
    response = client.get("/api/healthz")
    assert_json_response(response, 200, {"status": "ok"})
    assert "Connection" not in response.headers


def test_readyz_is_ready(client):
    response = client.get("/api/readyz")
    assert_json_response(response, 200, {"status": "ready"})
    assert "Connection" not in response.headers


def test_head_on_a_probe_has_the_headers_and_no_body(client):
    response = client.head("/api/healthz")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Length"] == str(len(client.get("/api/healthz").data))
