"""Whether this worker process is shutting down.

The one piece of state that the gunicorn SIGTERM hook (gunicorn.conf.py, via backend.shutdown) and the app's
views share. It is per process: each gunicorn worker drains on the SIGTERM that the arbiter sends it.

A plain module-level bool rather than a lock or an Event: it is written once, from a signal handler in the
worker's main thread, and read by request threads. Assigning and reading a global is atomic under the GIL,
and a signal handler must not take a lock that the interrupted code might hold.
"""

_draining = False


def begin_draining() -> None:
    """Marks this process as shutting down. Idempotent; there is no way back."""
    global _draining
    _draining = True


def is_draining() -> bool:
    """True once SIGTERM arrived: readiness fails and every response closes its connection."""
    return _draining
