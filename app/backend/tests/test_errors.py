"""Every error is JSON in one shape: {"error": {"status", "code", "message"[, "field"]}}."""

import io
import logging

import pytest
from api_assertions import assert_json_response, error_body
from werkzeug.exceptions import TooManyRequests

UNSUPPORTED = error_body(415, "unsupported_media_type", "The request body must be JSON, sent as application/json.")
TOO_LARGE = error_body(413, "payload_too_large", "The request body is larger than the limit of 16384 bytes.")
NOT_AN_OBJECT = error_body(400, "invalid_body", 'The request body must be a JSON object, like {"text": "hello"}.')


def post_raw(client, body, content_type="application/json", **kwargs):
    return client.post("/api/messages", data=body, content_type=content_type, **kwargs)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"text": "hi"}', "text/plain"),
        ("text=hi", "application/x-www-form-urlencoded"),
        ('{"text": "hi"}', None),
        ('{"text": "hi"}', "application/jsonx"),
    ],
    ids=["text-plain", "form", "no-content-type", "look-alike"],
)
def test_a_body_that_is_not_declared_json_is_415(client, body, content_type):
    assert_json_response(post_raw(client, body, content_type), 415, UNSUPPORTED)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"", "Expecting value: line 1 column 1"),
        (b"{", "Expecting property name enclosed in double quotes: line 1 column 2"),
        (b'{"text" "hi"}', "Expecting ':' delimiter: line 1 column 9"),
        (b"{'text': 'hi'}", "Expecting property name enclosed in double quotes: line 1 column 2"),
        (b'{"text": "hi', "Unterminated string starting at: line 1 column 10"),
        (b'{"text": "hi"}\n{"text": "again"}', "Extra data: line 2 column 1"),
        (b"\xff\xfe\xfd", "it is not UTF-8 text"),
        (b"[" * 5000 + b"]" * 5000, "it is nested too deeply"),
    ],
    ids=["empty", "truncated", "no-colon", "single-quotes", "unterminated", "two-documents", "not-utf8", "too-deep"],
)
def test_malformed_json_is_400_and_says_what_is_wrong(client, body, problem):
    assert_json_response(
        post_raw(client, body), 400, error_body(400, "malformed_json", f"Request body is not valid JSON: {problem}.")
    )


@pytest.mark.parametrize("body", ['["hi"]', '"hi"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_400(client, body):
    assert_json_response(post_raw(client, body), 400, NOT_AN_OBJECT)


def test_missing_text_is_400_missing_field(client):
    assert_json_response(
        client.post("/api/messages", json={"message": "hi"}),
        400,
        error_body(400, "missing_field", "The field 'text' is required.", field="text"),
    )


@pytest.mark.parametrize("text", [None, 42, 1.5, True, ["hi"], {"value": "hi"}])
def test_text_that_is_not_a_string_is_400_invalid_type(client, text):
    assert_json_response(
        client.post("/api/messages", json={"text": text}),
        400,
        error_body(400, "invalid_type", "The field 'text' must be a string.", field="text"),
    )


@pytest.mark.parametrize("text", ["", " ", " \t\r\n ", "\u00a0\u2003"])
def test_empty_or_whitespace_text_is_400_empty_field(client, text):
    assert_json_response(
        client.post("/api/messages", json={"text": text}),
        400,
        error_body(400, "empty_field", "The field 'text' must not be empty.", field="text"),
    )


@pytest.mark.parametrize(("text", "length"), [("x" * 1001, 1001), ("  " + "é" * 1500 + "  ", 1500)])
def test_text_over_1000_characters_is_400_too_long(client, text, length):
    assert_json_response(
        client.post("/api/messages", json={"text": text}),
        400,
        error_body(
            400, "too_long", f"The field 'text' must be at most 1000 characters long; it has {length}.", field="text"
        ),
    )


def test_a_body_over_16_kib_is_413(client):
    body = '{"text": "' + "x" * (16 * 1024) + '"}'
    assert_json_response(post_raw(client, body), 413, TOO_LARGE)


def padded_body(size):
    """A valid message of exactly `size` bytes, so that the answer comes from validation, not the size check."""
    body = '{"text": "hi", "padding": "' + "x" * (size - 29) + '"}'
    assert len(body) == size
    return body.encode()


def post_chunked(client, body, read_size=None):
    """As gunicorn passes a chunked request: no Content-Length, and a stream the server terminates."""

    class ServerStream(io.BytesIO):
        def read(self, size=-1):
            # A WSGI server may return fewer bytes than asked for.
            return super().read(size if read_size is None else min(size, read_size))

    return client.post(
        "/api/messages",
        input_stream=ServerStream(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_body_of_exactly_16_kib_is_read(client):
    assert post_raw(client, padded_body(16 * 1024)).status_code == 201


@pytest.mark.parametrize("read_size", [None, 1000])
def test_a_chunked_body_over_16_kib_is_413_not_truncated(client, read_size):
    assert_json_response(post_chunked(client, padded_body(16 * 1024 + 1), read_size), 413, TOO_LARGE)


@pytest.mark.parametrize("read_size", [None, 1000])
def test_a_chunked_body_of_exactly_16_kib_is_read_whole(client, read_size):
    response = post_chunked(client, padded_body(16 * 1024), read_size)
    assert (response.status_code, response.get_json()["text"]) == (201, "hi")


def test_a_chunked_body_from_a_server_that_does_not_terminate_it_reads_as_empty(client):
    # Werkzeug's safe fallback: with no length and no end marked by the server, reading could block forever.
    response = client.post(
        "/api/messages",
        input_stream=io.BytesIO(b'{"text": "hi"}'),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
    )
    assert_json_response(
        response,
        400,
        error_body(400, "malformed_json", "Request body is not valid JSON: Expecting value: line 1 column 1."),
    )


@pytest.mark.parametrize(
    "path", ["/", "/nope", "/api", "/api/", "/api/nope", "/api/healthz/", "/static/app.js", "/api//info", "//api/info"]
)
def test_unknown_paths_are_404(client, path):
    assert_json_response(client.get(path), 404, error_body(404, "not_found", "There is no API endpoint at this path."))


def test_a_doubled_slash_is_not_redirected_to_the_host_the_client_named(client):
    response = client.get("/api//info", headers={"Host": "evil.example"})
    assert response.status_code == 404
    assert "Location" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/healthz", "GET, HEAD"),
        ("POST", "/api/readyz", "GET, HEAD"),
        ("PUT", "/api/messages", "POST"),
        ("OPTIONS", "/api/messages", "POST"),
    ],
)
def test_wrong_methods_are_405_with_allow(client, method, path, allow):
    response = client.open(path, method=method)
    assert_json_response(
        response, 405, error_body(405, "method_not_allowed", f"The {method} method is not allowed on this endpoint.")
    )
    assert response.headers["Allow"] == allow


@pytest.fixture
def failing_client(app):
    @app.get("/api/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    @app.get("/api/limited")
    def limited():
        raise TooManyRequests(retry_after=30)

    return app.test_client()


def test_an_unhandled_exception_is_a_generic_json_500(failing_client, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_client.get("/api/boom")

    assert_json_response(response, 500, error_body(500, "internal_error", "The server hit an unexpected error."))
    assert b"hunter2" not in response.data and b"Traceback" not in response.data
    # The traceback goes to the log (stderr in gunicorn), with the exception.
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == "Exception on /api/boom [GET]"
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert str(record.exc_info[1]) == "database password is hunter2"


def test_other_http_errors_keep_their_name_description_and_headers(failing_client):
    response = failing_client.get("/api/limited")
    assert_json_response(
        response,
        429,
        error_body(429, "too_many_requests", "This user has exceeded an allotted request count. Try again later."),
    )
    assert response.headers["Retry-After"] == "30"
