"""Graceful shutdown of one gunicorn worker, installed by the hooks in gunicorn.conf.py.

On SIGTERM, gunicorn's worker only sets `alive = False`: the gthread worker then stops accepting, finishes the
requests in flight and exits, and any idle keep-alive connection dies with it. Clients that still route to the
pod (kube-proxy and NGINX learn about the pod's termination a moment later) would see refused or reset
connections, and NGINX could reuse a pooled connection just as it is closed (a 502). So instead:

1. readiness fails at once (/api/readyz answers 503), so Kubernetes takes the pod out of the Service;
2. for `drain_seconds` the worker keeps serving, and every response closes its connection, so NGINX stops
   pooling connections to this pod;
3. then the worker's graceful stop runs (backend/worker.py): stop accepting, answer what it has accepted, exit.

The arbiter SIGKILLs a worker that has not exited `graceful_timeout` seconds after its SIGTERM, so
graceful_timeout must exceed drain_seconds + up to 1 s for the worker loop to notice + the longest request.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from . import lifecycle

SignalHandler = Callable[[int, FrameType | None], Any]


def drain_then(exit_handler: SignalHandler, drain_seconds: float, log: Any) -> SignalHandler:
    """A SIGTERM handler that begins draining now and calls `exit_handler` after `drain_seconds`.

    It runs in the worker's main thread, between two bytecodes of its event loop: it only flips a flag and
    starts a timer thread, and never blocks. A second SIGTERM while draining changes nothing.
    """

    def handle_sigterm(signum: int, frame: FrameType | None) -> None:
        if lifecycle.is_draining():
            return
        lifecycle.begin_draining()
        if drain_seconds <= 0:
            log.info("SIGTERM: not ready; no drain period, stopping gracefully now")
            exit_handler(signum, frame)
            return
        log.info("SIGTERM: not ready; closing connections after each response for %ss, then stopping", drain_seconds)
        timer = threading.Timer(drain_seconds, _end_drain, args=(exit_handler, signum, log))
        # A daemon thread: a worker that exits for another reason (SIGQUIT, SIGKILL aside) does not wait for it.
        timer.daemon = True
        timer.name = "shutdown-drain"
        timer.start()

    return handle_sigterm


def _end_drain(exit_handler: SignalHandler, signum: int, log: Any) -> None:
    log.info("Drain period over: finishing in-flight requests and stopping")
    # Safe from this thread: DrainingThreadWorker.handle_exit only wakes the worker's loop, which stops accepting
    # on its own thread (gunicorn's plain Worker.handle_exit only sets `alive = False`).
    exit_handler(signum, None)


def install_drain_handler(worker: Any, drain_seconds: float) -> None:
    """Replaces the worker's SIGTERM handler (gunicorn's Worker.handle_exit) with drain_then(handle_exit)."""
    signal.signal(signal.SIGTERM, drain_then(worker.handle_exit, drain_seconds, worker.log))
    # signal.signal() makes the signal interrupt system calls again; gunicorn's init_signals turned that off so
    # that SIGTERM does not disturb requests in flight. Keep gunicorn's choice.
    signal.siginterrupt(signal.SIGTERM, False)


def close_connection_while_draining(req: Any) -> None:
    """From the pre_request hook: while draining, gunicorn answers "Connection: close" and closes the socket.

    gunicorn's Request.should_close() honours `must_close`, and its Response then sends the header itself.
    """
    if lifecycle.is_draining():
        req.must_close = True
