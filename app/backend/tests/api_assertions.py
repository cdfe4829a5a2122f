"""Assertions shared by the tests (a module beside them: pytest puts this folder on sys.path)."""

from __future__ import annotations


def assert_json_response(response, status: int, body: object) -> None:
    """Status, exact JSON body, JSON content type and the headers every API response carries."""
    assert (response.status_code, response.get_json()) == (status, body)
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def error_body(status: int, code: str, message: str, field: str | None = None) -> dict[str, object]:
    error: dict[str, object] = {"status": status, "code": code, "message": message}
    if field is not None:
        error["field"] = field
    return {"error": error}
