import re
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from api_assertions import assert_json_response, error_body

from backend import create_app, messages
from backend.settings import Settings

FIXED_ID = "0f8e7b8a-5a3c-4d2e-9b1f-2c3d4e5f6a7b"
FIXED_TIME = datetime(2026, 11, 25, 22, 30, 0, 123456, tzinfo=UTC)


@pytest.fixture
def fixed_id_and_clock(monkeypatch):
    monkeypatch.setattr(messages, "new_message_id", lambda: FIXED_ID)
    monkeypatch.setattr(messages, "utc_now", lambda: FIXED_TIME)


def expected_message(text):
    return {
        "id": FIXED_ID,
        "text": text,
        "received_at": "2026-11-25T22:30:00.123Z",
        "served_by": {"pod": "backend-7d9f-abcde", "node": "node-a"},
    }


@pytest.mark.usefixtures("fixed_id_and_clock")
@pytest.mark.parametrize(
    ("sent", "answered"),
    [
        ("hello", "hello"),
        ("  \n\thello world \r\n", "hello world"),
        ("grüße, 世界 🚀", "grüße, 世界 🚀"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("x" * 1000, "x" * 1000),
        ("  " + "y" * 1000 + "  ", "y" * 1000),
        ("half an emoji \ud83d", "half an emoji \ud83d"),
    ],
    ids=[
        "plain",
        "stripped",
        "unicode",
        "markup-echoed-as-data",
        "exactly-1000",
        "1000-after-stripping",
        "lone-surrogate",
    ],
)
def test_post_message_answers_201_with_the_message(client, sent, answered):
    response = client.post("/api/messages", json={"text": sent})
    assert_json_response(response, 201, expected_message(answered))


@pytest.mark.usefixtures("fixed_id_and_clock")
@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "application/JSON", "application/merge-patch+json"],
)
def test_json_content_types_with_parameters_or_suffix_are_accepted(client, content_type):
    response = client.post("/api/messages", data=b'{"text": "hi"}', content_type=content_type)
    assert_json_response(response, 201, expected_message("hi"))


@pytest.mark.usefixtures("fixed_id_and_clock")
def test_fields_other_than_text_are_ignored(client):
    response = client.post("/api/messages", json={"text": "hi", "id": "mine", "served_by": "me"})
    assert_json_response(response, 201, expected_message("hi"))


def test_each_message_gets_a_new_uuid4_and_the_current_utc_time(client):
    before = datetime.now(UTC)
    first = client.post("/api/messages", json={"text": "one"}).get_json()
    second = client.post("/api/messages", json={"text": "two"}).get_json()
    after = datetime.now(UTC)

    ids = [uuid.UUID(first["id"]), uuid.UUID(second["id"])]
    assert [i.version for i in ids] == [4, 4]
    assert [str(i) for i in ids] == [first["id"], second["id"]]
    assert ids[0] != ids[1]
    for message in (first, second):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", message["received_at"])
        received = datetime.fromisoformat(message["received_at"].replace("Z", "+00:00"))
        # Truncated to milliseconds, so up to 1 ms before `before`.
        assert before - timedelta(milliseconds=1) <= received <= after


@pytest.mark.parametrize(
    ("moment", "formatted"),
    [
        (datetime(2026, 1, 2, 3, 4, 5, 0, tzinfo=UTC), "2026-01-02T03:04:05.000Z"),
        (datetime(2026, 1, 2, 3, 4, 5, 999999, tzinfo=UTC), "2026-01-02T03:04:05.999Z"),
        (datetime(2026, 1, 2, 0, 30, 0, 5000, tzinfo=timezone(timedelta(hours=2))), "2026-01-01T22:30:00.005Z"),
    ],
)
def test_iso_utc_is_utc_with_milliseconds_and_z(moment, formatted):
    assert messages.iso_utc(moment) == formatted


def test_no_delay_unless_the_test_hook_is_set(client, monkeypatch):
    sleeps = []
    monkeypatch.setattr(messages.time, "sleep", sleeps.append)
    assert client.post("/api/messages", json={"text": "hi"}).status_code == 201
    assert sleeps == []


def test_test_delay_sleeps_before_answering_even_invalid_requests(monkeypatch):
    sleeps = []
    monkeypatch.setattr(messages.time, "sleep", sleeps.append)
    monkeypatch.setenv("BACKEND_TEST_DELAY_SECONDS", "0.25")
    client = create_app().test_client()

    assert client.post("/api/messages", json={"text": "hi"}).status_code == 201
    assert client.post("/api/messages", json={}).status_code == 400
    assert sleeps == [0.25, 0.25]
    # Only the message endpoint is slowed down: the probes must stay fast.
    assert client.get("/api/readyz").status_code == 200
    assert sleeps == [0.25, 0.25]


def test_test_delay_is_announced_as_a_warning(monkeypatch, caplog):
    monkeypatch.setenv("BACKEND_TEST_DELAY_SECONDS", "3")
    create_app()
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "BACKEND_TEST_DELAY_SECONDS=3.0: POST /api/messages sleeps on purpose. "
        "This is for tests only; never set it in a cluster."
    ]


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_an_invalid_test_delay_stops_the_app_from_starting(value):
    with pytest.raises(ValueError) as raised:
        Settings.from_env({"BACKEND_TEST_DELAY_SECONDS": value})
    assert str(raised.value) == f"BACKEND_TEST_DELAY_SECONDS must be a number of seconds >= 0, got {value!r}"


def test_get_on_messages_is_405_with_allow_post(client):
    response = client.get("/api/messages")
    assert_json_response(
        response, 405, error_body(405, "method_not_allowed", "The GET method is not allowed on this endpoint.")
    )
    assert response.headers["Allow"] == "POST"
