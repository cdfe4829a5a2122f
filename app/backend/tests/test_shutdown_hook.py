"""backend.shutdown, which the gunicorn hooks call: the SIGTERM handler and the per-request connection close."""

import signal
import threading
import time
from types import SimpleNamespace

import pytest

from backend import lifecycle, shutdown


class RecordingLog:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(message % args)


class FakeWorker:
    """What install_drain_handler uses of a gunicorn worker: handle_exit (sets alive = False) and log."""

    def __init__(self):
        self.alive = True
        self.exits = []
        self.exited = threading.Event()
        self.log = RecordingLog()

    def handle_exit(self, signum, frame):
        self.exits.append((signum, threading.current_thread().name))
        self.alive = False
        self.exited.set()


def test_sigterm_drains_first_then_calls_the_original_handler():
    worker = FakeWorker()
    handler = shutdown.drain_then(worker.handle_exit, 0.3, worker.log)

    started = time.monotonic()
    handler(signal.SIGTERM, None)

    # At once: not ready, still alive.
    assert lifecycle.is_draining()
    assert (worker.alive, worker.exits) == (True, [])
    assert worker.log.lines == ["SIGTERM: not ready; closing connections after each response for 0.3s, then stopping"]
    # After the drain: gunicorn's own graceful stop, from the timer thread.
    assert worker.exited.wait(timeout=5)
    assert time.monotonic() - started >= 0.3
    assert (worker.alive, worker.exits) == (False, [(signal.SIGTERM, "shutdown-drain")])
    assert worker.log.lines[1:] == ["Drain period over: finishing in-flight requests and stopping"]


def test_a_zero_drain_stops_at_once():
    worker = FakeWorker()
    shutdown.drain_then(worker.handle_exit, 0, worker.log)(signal.SIGTERM, None)

    assert lifecycle.is_draining()
    assert (worker.alive, worker.exits) == (False, [(signal.SIGTERM, "MainThread")])
    assert worker.log.lines == ["SIGTERM: not ready; no drain period, stopping gracefully now"]


def test_a_second_sigterm_while_draining_changes_nothing():
    worker = FakeWorker()
    handler = shutdown.drain_then(worker.handle_exit, 0.2, worker.log)
    handler(signal.SIGTERM, None)
    handler(signal.SIGTERM, None)

    assert worker.exited.wait(timeout=5)
    time.sleep(0.3)  # room for a second timer, which must not exist
    assert worker.exits == [(signal.SIGTERM, "shutdown-drain")]
    assert len(worker.log.lines) == 2


@pytest.fixture
def restore_sigterm():
    original = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, original)


@pytest.mark.usefixtures("restore_sigterm")
def test_install_drain_handler_takes_over_a_real_sigterm():
    worker = FakeWorker()
    shutdown.install_drain_handler(worker, 0.1)

    signal.raise_signal(signal.SIGTERM)

    # The handler ran in this (the main) thread before raise_signal returned.
    assert lifecycle.is_draining()
    assert worker.exited.wait(timeout=5)
    assert worker.exits == [(signal.SIGTERM, "shutdown-drain")]


@pytest.mark.parametrize(("draining", "must_close"), [(False, False), (True, True)])
def test_requests_are_marked_to_close_only_while_draining(draining, must_close):
    if draining:
        lifecycle.begin_draining()
    request = SimpleNamespace(must_close=False)  # gunicorn's http.message.Request attribute

    shutdown.close_connection_while_draining(request)

    assert request.must_close is must_close
