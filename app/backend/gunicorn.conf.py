"""gunicorn settings for the backend. Every value can be changed through the environment; defaults in brackets.

    PORT [8000], GUNICORN_HOST [0.0.0.0]       where to listen
    WEB_CONCURRENCY [2], GUNICORN_THREADS [4]  worker processes, threads per worker (gthread)
    GUNICORN_TIMEOUT [30]                      seconds a worker's main loop may be silent before it is killed
    GUNICORN_GRACEFUL_TIMEOUT [25]             seconds a worker has to stop after SIGTERM before SIGKILL
    GUNICORN_KEEPALIVE [75]                    seconds an idle keep-alive connection is kept
    GUNICORN_LOG_LEVEL [info]
    GUNICORN_WORKER_TMP_DIR [/dev/shm]         where the worker heartbeat file lives
    SHUTDOWN_DRAIN_SECONDS [2]                 after SIGTERM, seconds to keep serving while not ready

Run it from anywhere: `gunicorn -c app/backend/gunicorn.conf.py wsgi:app` (chdir below finds wsgi.py).
"""

import math
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _env_int(name, default, minimum):
    raw = os.environ.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {raw!r}")
    return value


def _env_seconds(name, default):
    raw = os.environ.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number of seconds >= 0, got {raw!r}")
    return value


# The app's folder: wsgi.py and the backend package are imported from here, whatever the current directory.
chdir = _HERE

bind = [f"{os.environ.get('GUNICORN_HOST') or '0.0.0.0'}:{_env_int('PORT', 8000, 1)}"]

# Threads, not more processes: requests are short and I/O-bound, and threads share one copy of the app.
# gunicorn's gthread worker, with a graceful stop that answers what it has accepted (see backend/worker.py).
worker_class = "backend.worker.DrainingThreadWorker"
workers = _env_int("WEB_CONCURRENCY", 2, 1)
threads = _env_int("GUNICORN_THREADS", 4, 1)

# For gthread this bounds how long the worker's main loop may stall, not how long one request may take
# (NGINX gives up on a request after its proxy_read_timeout of 10 s anyway).
timeout = _env_int("GUNICORN_TIMEOUT", 30, 1)
# Must exceed SHUTDOWN_DRAIN_SECONDS + 1 s (the worker loop's poll) + the longest request; checked below.
# Kubernetes: preStop (5 s) + this must also fit in the pod's terminationGracePeriodSeconds (40 s).
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 25, 1)
# MUST be longer than NGINX's upstream keepalive_timeout (60 s). The side that closes an idle connection
# first must be NGINX: if gunicorn closed it first, NGINX could send the next request (a POST, which it does
# not retry) on a connection gunicorn has just closed, and the client would get a 502.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75, 0)

# NGINX refuses oversized requests first, with its JSON 414 or 431: its request line and header lines are at
# most 4 KiB (large_client_header_buffers 4 4k, 16 KiB in all). gunicorn's own limits sit above NGINX's so that
# its HTML 400/431 pages can never reach a client through NGINX: the longest request line gunicorn allows,
# the default 8190-byte header line, and its maximum header count (16 KiB of headers hold at most 4096 lines).
limit_request_line = 8190
limit_request_field_size = 8190
limit_request_fields = 32768

# After SIGTERM, a worker stays up this long answering 503 on /api/readyz and closing each connection after its
# response, before gunicorn's normal graceful stop (see backend/shutdown.py). 0 stops at once.
shutdown_drain_seconds = _env_seconds("SHUTDOWN_DRAIN_SECONDS", 2)
if shutdown_drain_seconds + 1 >= graceful_timeout:
    raise ValueError(
        f"SHUTDOWN_DRAIN_SECONDS ({shutdown_drain_seconds}) + 1 must be less than GUNICORN_GRACEFUL_TIMEOUT "
        f"({graceful_timeout}), or the arbiter kills draining workers before they finish their requests"
    )

# Logs to stdout (access) and stderr (errors and app logs), for `kubectl logs`.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"

# The worker heartbeat file, touched every second by each worker. /dev/shm is a tmpfs in every container
# (writable under a read-only root filesystem), so the heartbeat never waits on a disk; the /tmp emptyDir is
# node disk, and a slow disk there could stall workers until the arbiter kills them. On a machine without
# /dev/shm (macOS), gunicorn's default (the system temp dir) is used.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)


# Hooks. They import the app's modules lazily: they run in the worker after it loaded wsgi:app from `chdir`,
# and so they share the app's module-level drain flag.


def post_worker_init(worker):
    """Replace the worker's SIGTERM handler with one that drains first (backend/shutdown.py)."""
    from backend.shutdown import install_drain_handler

    install_drain_handler(worker, shutdown_drain_seconds)


def pre_request(worker, req):
    """While draining, make gunicorn answer "Connection: close" and close the connection after the response."""
    from backend.shutdown import close_connection_while_draining

    worker.log.debug("%s %s", req.method, req.path)  # what gunicorn's default pre_request does
    close_connection_while_draining(req)
