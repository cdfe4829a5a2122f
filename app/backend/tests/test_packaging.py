"""What ships: exact pins for the whole dependency closure, and a Dockerfile that copies files that exist."""

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BACKEND_DIR = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)$")


def pins(file_name):
    lines = (line.strip() for line in (BACKEND_DIR / file_name).read_text().splitlines())
    found = {}
    for line in lines:
        if not line or line.startswith("#") or line == "-r requirements.txt":
            continue
        match = PIN.match(line)
        assert match, f"{file_name}: not an exact pin: {line!r}"
        found[canonicalize_name(match[1])] = match[2]
    return found


def closure(*roots):
    """Every distribution the roots need at run time on this interpreter (markers evaluated, no extras)."""
    seen, todo = set(), [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_runtime_pins_are_exactly_the_closure_of_flask_and_gunicorn():
    runtime = pins("requirements.txt")
    assert (runtime["flask"], runtime["gunicorn"]) == ("3.1.3", "23.0.0")
    assert set(runtime) == closure("flask", "gunicorn")


def test_dev_pins_add_the_closure_of_pytest():
    dev = pins("requirements-dev.txt")
    assert not set(dev) & set(pins("requirements.txt"))
    assert set(dev) == closure("pytest") - closure("flask", "gunicorn")


def test_the_installed_versions_are_the_pinned_ones():
    wanted = {**pins("requirements.txt"), **pins("requirements-dev.txt")}
    assert {name: metadata.version(name) for name in wanted} == wanted


def test_the_dockerfile_copies_existing_files_and_runs_them_as_a_numeric_user():
    dockerfile = (BACKEND_DIR / "Dockerfile").read_text()
    # Both stages start FROM the BASE argument, whose default is the pinned upstream image.
    assert re.findall(r"^ARG BASE=(\S+)$", dockerfile, re.M) == ["python:3.11.17-slim-bookworm"]
    assert re.findall(r"^FROM (\S+)", dockerfile, re.M) == ["${BASE}"] * 2
    sources = [s for line in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M) for s in line.split()]
    assert sources == ["requirements.txt", "gunicorn.conf.py", "wsgi.py", "backend/"]
    assert all((BACKEND_DIR / source).exists() for source in sources)
    assert re.findall(r"^USER (.+)$", dockerfile, re.M) == ["10001:10001"]
    assert re.findall(r"^CMD (.+)$", dockerfile, re.M) == [
        '["/opt/venv/bin/gunicorn", "--config", "/app/gunicorn.conf.py", "wsgi:app"]'
    ]
