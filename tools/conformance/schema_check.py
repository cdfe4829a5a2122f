"""Strict validation of Kubernetes objects against the official Python client's models.

The client (PyPI `kubernetes`, pinned in conformance/requirements.txt) is generated from the OpenAPI spec of
one Kubernetes minor version: 36.x from v1.36, the version both stacks run (tools/conformance/gate.ts fails a
stack whose version differs). Every model lists its fields
(`attribute_map`: Python name -> JSON name) and their types (`openapi_types`), and rejects a missing
required field in its setter. This walks each object with those and reports, as the API server's strict
field validation would: unknown fields, wrong types and missing required fields.

stdin:  {"objects": [{"file": "...", "manifest": {...}}, ...]}
stdout: {"kubernetesVersion": "v1.36", "findings": [{"file": "...", "message": "..."}, ...]}
"""

import json
import re
import sys
from functools import lru_cache

import kubernetes
import kubernetes.client as models
from kubernetes.client import Configuration

LIST = re.compile(r"^list\[(.+)\]$")
# 36.x writes maps as dict[str, X]; clients up to 35.x wrote dict(str, X).
DICT = re.compile(r"^dict(?:\(str, (.+)\)|\[str, (.+)\])$")
PRIMITIVES = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "datetime": (str,),
    "date": (str,),
    # IntOrString, Quantity and free-form fields.
    "object": (object,),
}
JSON_NAMES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "datetime": "date-time string"}


def model_for(api_version: str, kind: str):
    """V1Deployment for apps/v1 Deployment, V2HorizontalPodAutoscaler for autoscaling/v2 HorizontalPodAutoscaler."""
    version = api_version.split("/")[-1]
    return getattr(models, version[0].upper() + version[1:] + kind, None)


@lru_cache(maxsize=None)
def required_fields(model) -> frozenset:
    """The fields whose setter refuses None when the client validates, i.e. the spec's required ones."""
    relaxed = Configuration()
    relaxed.client_side_validation = False
    instance = model(local_vars_configuration=relaxed)
    strict = Configuration()
    strict.client_side_validation = True
    instance.local_vars_configuration = strict
    required = set()
    for attribute in model.openapi_types:
        try:
            setattr(instance, attribute, None)
        except ValueError:
            required.add(model.attribute_map[attribute])
    return frozenset(required)


def check(value, type_name: str, path: str, findings: list) -> None:
    if type_name in PRIMITIVES:
        allowed = PRIMITIVES[type_name]
        is_bool = isinstance(value, bool)
        if not isinstance(value, allowed) or (is_bool and type_name in ("int", "float")):
            findings.append(f"{path}: expected {JSON_NAMES.get(type_name, type_name)}, got {json.dumps(value)}")
        return
    item = LIST.match(type_name)
    if item:
        if not isinstance(value, list):
            findings.append(f"{path}: expected a list, got {json.dumps(value)}")
            return
        for index, element in enumerate(value):
            check(element, item.group(1), f"{path}[{index}]", findings)
        return
    entry = DICT.match(type_name)
    if entry:
        if not isinstance(value, dict):
            findings.append(f"{path}: expected a map, got {json.dumps(value)}")
            return
        for key, element in value.items():
            check(element, entry.group(1) or entry.group(2), f"{path}.{key}", findings)
        return
    model = getattr(models, type_name)
    if not isinstance(value, dict):
        findings.append(f"{path}: expected an object ({type_name}), got {json.dumps(value)}")
        return
    json_types = {model.attribute_map[name]: kind for name, kind in model.openapi_types.items()}
    prefix = f"{path}." if path else ""
    for key, element in value.items():
        if key not in json_types:
            findings.append(f"{prefix}{key}: unknown field")
        else:
            check(element, json_types[key], f"{prefix}{key}", findings)
    for key in sorted(required_fields(model) - value.keys()):
        findings.append(f"{prefix}{key}: required field missing")


def validate(objects: list) -> list:
    results = []
    for item in objects:
        manifest = item["manifest"]
        api_version, kind = str(manifest.get("apiVersion")), str(manifest.get("kind"))
        model = model_for(api_version, kind)
        messages = []
        if model is None:
            messages.append(f"no schema for {api_version} {kind} in Kubernetes {kubernetes_version()}")
        else:
            check(manifest, model.__name__, "", messages)
        results.extend({"file": item["file"], "message": message} for message in messages)
    return results


def kubernetes_version() -> str:
    # The client's major version is the Kubernetes minor it was generated from (36.x <- v1.36).
    return f"v1.{kubernetes.__version__.split('.')[0]}"


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump({"kubernetesVersion": kubernetes_version(), "findings": validate(request["objects"])}, sys.stdout)
