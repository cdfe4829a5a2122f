"""The real thing: gunicorn with gunicorn.conf.py on a free loopback port, stopped with SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BACKEND_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DRAIN_SECONDS = 1.0
START_TIMEOUT = 20.0
# Drain + up to 1 s for the worker loop to notice + the arbiter's 0.1 s poll, with ample room for a slow CI.
EXIT_TIMEOUT = 15.0


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=10)

    def request(self, method, path, body=None, connection=None):
        """(status, JSON body, Connection header) of one request, on `connection` or a new one."""
        conn = connection or self.connection()
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read()), response.getheader("Connection")
        finally:
            if connection is None:
                conn.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_gunicorn(tmp_path):
    """Starts gunicorn as the container does (from another directory); always stopped at teardown."""
    started: list[subprocess.Popen] = []

    def start(**extra_env: str) -> Server:
        port = free_port()
        env = {
            # Nothing from outside that would change how gunicorn runs or slow the app down.
            **{k: v for k, v in os.environ.items() if k not in ("GUNICORN_CMD_ARGS", "BACKEND_TEST_DELAY_SECONDS")},
            "GUNICORN_HOST": HOST,
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "SHUTDOWN_DRAIN_SECONDS": str(DRAIN_SECONDS),
            "GUNICORN_LOG_LEVEL": "info",
            "PYTHONDONTWRITEBYTECODE": "1",
            **extra_env,
        }
        log_path = tmp_path / f"gunicorn-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(BACKEND_DIR / "gunicorn.conf.py"), "wsgi:app"],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so teardown can stop the workers too
            )
        started.append(process)
        server = Server(process, port, log_path)
        wait_until_healthy(server)
        return server

    yield start

    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"gunicorn exited early:\n{server.log()}"
        try:
            if server.request("GET", "/api/healthz")[:2] == (200, {"status": "ok"}):
                return
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"gunicorn did not answer /api/healthz within {START_TIMEOUT} s:\n{server.log()}")


def first_503_from_readyz(server: Server, within: float):
    """Polls /api/readyz on new connections; the worker gets SIGTERM from the arbiter a moment after it."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        answer = server.request("GET", "/api/readyz")
        if answer[0] == 503:
            return answer
        time.sleep(0.01)
    pytest.fail(f"/api/readyz was not 503 within {within} s of SIGTERM:\n{server.log()}")


def test_sigterm_drains_then_exits_cleanly(start_gunicorn):
    server = start_gunicorn()
    pooled = server.connection()  # a keep-alive connection, as NGINX keeps them
    try:
        assert server.request("GET", "/api/readyz", connection=pooled) == (200, {"status": "ready"}, "keep-alive")

        sent = time.monotonic()
        os.kill(server.process.pid, signal.SIGTERM)

        # During the drain: not ready, still alive, and gunicorn itself closes every connection after answering.
        assert first_503_from_readyz(server, within=DRAIN_SECONDS * 0.8) == (503, {"status": "shutting-down"}, "close")
        assert server.request("GET", "/api/healthz", connection=pooled) == (200, {"status": "ok"}, "close")
    finally:
        pooled.close()

    assert server.process.wait(timeout=EXIT_TIMEOUT) == 0
    assert time.monotonic() - sent >= DRAIN_SECONDS
    log = server.log()
    assert f"SIGTERM: not ready; closing connections after each response for {DRAIN_SECONDS}s, then stopping" in log
    assert "Drain period over: finishing in-flight requests and stopping" in log
    assert "Traceback" not in log


def test_a_request_in_flight_at_sigterm_is_answered(start_gunicorn):
    # Only this test sets the slow-backend hook: the request outlives the drain period.
    server = start_gunicorn(BACKEND_TEST_DELAY_SECONDS="2")
    outcome = {}

    def post():
        try:
            outcome["answer"] = server.request("POST", "/api/messages", body={"text": "in flight"})
        except Exception as error:  # reported below, in the test's own thread
            outcome["error"] = error

    request = threading.Thread(target=post)
    request.start()
    try:
        time.sleep(0.5)  # the request is being served (it takes 2 s) when SIGTERM arrives
        os.kill(server.process.pid, signal.SIGTERM)
    finally:
        request.join(timeout=EXIT_TIMEOUT)

    assert "error" not in outcome, f"{outcome['error']!r}\n{server.log()}"
    status, body, _ = outcome["answer"]
    assert (status, body["text"]) == (201, "in flight")
    assert server.process.wait(timeout=EXIT_TIMEOUT) == 0
    assert "Traceback" not in server.log()


def send_request(port: int, text: str) -> socket.socket:
    """Connects and sends a whole POST without reading the answer: the kernel queues it in the listen backlog."""
    client = socket.create_connection((HOST, port), timeout=EXIT_TIMEOUT)
    body = json.dumps({"text": text}).encode()
    client.sendall(
        b"POST /api/messages HTTP/1.1\r\nHost: backend\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    return client


def read_status(client: socket.socket) -> str:
    """The status line of the answer, or the error that ended the connection instead (e.g. a reset)."""
    try:
        with client, client.makefile("rb") as answer:
            return answer.readline().decode().strip() or "closed without an answer"
    except OSError as error:
        return repr(error)


def test_requests_queued_when_the_drain_ends_are_answered_not_reset(start_gunicorn):
    # gunicorn's own gthread worker resets connections still in the listen backlog when its loop ends, and
    # closes unread the ones it accepted in its last iteration (backend/worker.py). Freeze the worker across the
    # end of its drain while requests pile up, so that they are all waiting when it stops.
    server = start_gunicorn()
    worker_pid = int(re.search(r"Booting worker with pid: (\d+)", server.log())[1])

    os.kill(server.process.pid, signal.SIGTERM)
    first_503_from_readyz(server, within=DRAIN_SECONDS * 0.8)
    os.kill(worker_pid, signal.SIGSTOP)
    try:
        clients = [send_request(server.port, f"queued {i}") for i in range(8)]
        time.sleep(DRAIN_SECONDS)  # the drain timer is due as soon as the worker runs again
    finally:
        os.kill(worker_pid, signal.SIGCONT)

    assert [read_status(client) for client in clients] == ["HTTP/1.1 201 CREATED"] * 8, server.log()
    assert server.process.wait(timeout=EXIT_TIMEOUT) == 0
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"zz\r\n{}\r\n0\r\n\r\n", id="chunk size not hex"),
        pytest.param(b"2\r\n{}XX0\r\n\r\n", id="chunk without its terminator"),
        pytest.param(b"10\r\n{\"text\": ", id="body cut short"),
    ],
)
def test_a_malformed_chunked_body_gets_a_json_400_not_a_500(start_gunicorn, body):
    server = start_gunicorn()
    with socket.create_connection((HOST, server.port), timeout=10) as client:
        client.sendall(
            b"POST /api/messages HTTP/1.1\r\nHost: backend\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + body
        )
        if body.endswith(b": "):
            # A client that stops sending: gunicorn sees the body end early.
            client.shutdown(socket.SHUT_WR)
        # The first response on the connection; what gunicorn does with the rest of a broken stream is its own.
        response = http.client.HTTPResponse(client)
        response.begin()
        payload = json.loads(response.read())
    assert response.status == 400, payload
    assert response.getheader("Content-Type") == "application/json"
    assert payload["error"]["code"] == "malformed_body", payload
    assert "Traceback" not in server.log()
