"""gunicorn.conf.py: defaults, environment overrides, validation, and that gunicorn accepts every setting."""

import os
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

BACKEND_DIR = Path(__file__).resolve().parent.parent
CONF = BACKEND_DIR / "gunicorn.conf.py"
VARIABLES = (
    "PORT",
    "GUNICORN_HOST",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_LOG_LEVEL",
    "GUNICORN_WORKER_TMP_DIR",
    "SHUTDOWN_DRAIN_SECONDS",
)


@pytest.fixture
def env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def load(env, **variables):
    """The settings gunicorn would read from the file, with `variables` set (and the others unset)."""
    for name, value in variables.items():
        env.setenv(name, value)
    return runpy.run_path(str(CONF))


def gunicorn_config(namespace):
    """What gunicorn makes of the file: it sets every name it knows (and validates it), ignores the rest."""
    cfg = Config()
    for name, value in namespace.items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def test_defaults(env):
    cfg = gunicorn_config(load(env))

    assert cfg.address == [("0.0.0.0", 8000)]
    assert (cfg.worker_class_str, cfg.workers, cfg.threads) == ("backend.worker.DrainingThreadWorker", 2, 4)
    assert (cfg.timeout, cfg.graceful_timeout, cfg.keepalive) == (30, 25, 75)
    assert (cfg.accesslog, cfg.errorlog, cfg.loglevel) == ("-", "-", "info")
    assert cfg.chdir == str(BACKEND_DIR)
    assert cfg.worker_tmp_dir == ("/dev/shm" if os.path.isdir("/dev/shm") else None)
    assert load(env)["shutdown_drain_seconds"] == 2.0


def test_nginx_refuses_oversized_requests_before_gunicorn_does(env):
    # NGINX: request line and each header line at most 4 KiB, 16 KiB of headers (components/nginx/nginxConf.ts).
    cfg = gunicorn_config(load(env))
    assert (cfg.limit_request_line, cfg.limit_request_field_size, cfg.limit_request_fields) == (8190, 8190, 32768)


def test_nginx_closes_idle_connections_first(env):
    # NGINX's upstream keepalive_timeout is 60 s (components/nginx/nginxConf.ts).
    assert load(env)["keepalive"] > 60


def test_the_worker_is_gthread_with_a_draining_stop(env):
    # What gunicorn imports (chdir puts this folder on sys.path): a gthread worker, so `threads` applies.
    from gunicorn.workers.gthread import ThreadWorker

    from backend.worker import DrainingThreadWorker

    assert gunicorn_config(load(env)).worker_class is DrainingThreadWorker
    assert issubclass(DrainingThreadWorker, ThreadWorker)


def test_the_hooks_are_installed(env):
    namespace = load(env)
    cfg = gunicorn_config(namespace)
    assert cfg.post_worker_init is namespace["post_worker_init"]
    assert cfg.pre_request is namespace["pre_request"]


def test_every_setting_comes_from_the_environment(env):
    cfg = gunicorn_config(
        load(
            env,
            PORT="18080",
            GUNICORN_HOST="127.0.0.1",
            WEB_CONCURRENCY="3",
            GUNICORN_THREADS="8",
            GUNICORN_TIMEOUT="60",
            GUNICORN_GRACEFUL_TIMEOUT="40",
            GUNICORN_KEEPALIVE="90",
            GUNICORN_LOG_LEVEL="debug",
            GUNICORN_WORKER_TMP_DIR="/tmp",
            SHUTDOWN_DRAIN_SECONDS="0.5",
        )
    )
    assert cfg.address == [("127.0.0.1", 18080)]
    assert (cfg.workers, cfg.threads, cfg.timeout, cfg.graceful_timeout, cfg.keepalive) == (3, 8, 60, 40, 90)
    assert (cfg.loglevel, cfg.worker_tmp_dir) == ("debug", "/tmp")
    assert load(env)["shutdown_drain_seconds"] == 0.5


def test_a_zero_drain_is_allowed(env):
    assert load(env, SHUTDOWN_DRAIN_SECONDS="0")["shutdown_drain_seconds"] == 0.0


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"PORT": "http"}, "PORT must be an integer >= 1, got 'http'"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY must be an integer >= 1, got '0'"),
        ({"GUNICORN_THREADS": "2.5"}, "GUNICORN_THREADS must be an integer >= 1, got '2.5'"),
        ({"GUNICORN_KEEPALIVE": "-1"}, "GUNICORN_KEEPALIVE must be an integer >= 0, got '-1'"),
        ({"SHUTDOWN_DRAIN_SECONDS": "soon"}, "SHUTDOWN_DRAIN_SECONDS must be a number of seconds >= 0, got 'soon'"),
        ({"SHUTDOWN_DRAIN_SECONDS": "-2"}, "SHUTDOWN_DRAIN_SECONDS must be a number of seconds >= 0, got '-2'"),
        (
            {"SHUTDOWN_DRAIN_SECONDS": "24"},
            "SHUTDOWN_DRAIN_SECONDS (24.0) + 1 must be less than GUNICORN_GRACEFUL_TIMEOUT (25), "
            "or the arbiter kills draining workers before they finish their requests",
        ),
    ],
)
def test_invalid_values_stop_gunicorn_from_starting(env, variables, message):
    with pytest.raises(ValueError) as raised:
        load(env, **variables)
    assert str(raised.value) == message
