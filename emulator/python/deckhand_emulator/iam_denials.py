"""What AWS answers when a function's role may not do what a call asks: the call is refused whole.

The local AWS enforces no IAM (iam_audit.py records what AWS would authorize, and local/iam/check.mjs
evaluates it against the deployed roles). A test that needs a refusal says which one, as the role's
policy would: POST /_deckhand/iam/deny {caller, action, resource} (resource an ARN, or ending in `*`
for a prefix). From then on, until the emulator is reset, a request signed as `caller` for which
iam_audit's mapping lists an authorization of `action` on a matching resource is refused, and nothing
of it happens. The IAM test checks that the deployed role refuses it too (iam_audit marks it
`deniedByEmulator`), so a refusal a test made up fails the build.

AWS behaviour reproduced (IAM User Guide, "Access management for AWS resources",
https://docs.aws.amazon.com/IAM/latest/UserGuide/access.html: "IAM authorizes your request only if
every part of your request is allowed"; Service Authorization Reference, AWS Systems Manager:
GetParameters authorizes each parameter named): one name of a GetParameters call that the role may
not read refuses the whole call with AccessDeniedException ("User: ... is not authorized to perform:
ssm:GetParameters on resource: ... because no identity-based policy allows the ssm:GetParameters
action"), not an entry of InvalidParameters, which lists the names that do not exist.
Only services of AWS's JSON protocol (a request with X-Amz-Target) are modelled.
"""
import io
import json
import re
import threading

from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT

PATH = "/_deckhand/iam/deny"
JSON_SERVICES = ("ssm", "ecs", "events", "ecr", "codedeploy", "sqs")
_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/")
_lock = threading.Lock()
_denials = []   # (caller, action, resource pattern)


def denies(caller, authorization):
    """True when a denial set for `caller` covers this authorization ({action, resource})."""
    with _lock:
        rules = list(_denials)
    for who, action, resource in rules:
        if who == caller and action == authorization["action"]:
            if resource.endswith("*") and authorization["resource"].startswith(resource[:-1]):
                return True
            if authorization["resource"] == resource:
                return True
    return False


def _deny(body):
    caller, action, resource = body.get("caller"), body.get("action"), body.get("resource")
    if not caller or not action or not resource:
        raise ValueError("iam/deny needs caller, action and resource")
    if action.split(":")[0] not in JSON_SERVICES:
        raise ValueError(f"iam/deny models the refusals of JSON-protocol services only ({', '.join(JSON_SERVICES)}), not {action}")
    with _lock:
        _denials.append((caller, action, resource))
    return {"denials": len(_denials)}


def _answer(start_response, status, payload, content_type="application/json"):
    data = json.dumps(payload).encode()
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
    return [data]


def middleware(app):
    from . import iam_audit

    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/moto-api/reset":
            with _lock:
                _denials.clear()
        if path == PATH:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                return _answer(start_response, "200 OK", _deny(json.loads(environ["wsgi.input"].read(length) or b"{}")))
            except Exception as error:  # the caller is a test: tell it exactly what failed
                return _answer(start_response, "400 Bad Request", {"error": f"{type(error).__name__}: {error}"})
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        with _lock:
            callers = {who for who, _, _ in _denials}
        if not match or match.group(1) not in callers or not environ.get("HTTP_X_AMZ_TARGET"):
            return app(environ, start_response)
        caller, region, service = match.groups()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        call, params = iam_audit.call_of(service, environ, body)
        mapper = iam_audit.MAPPERS.get(call)
        if mapper is None:
            return app(environ, start_response)
        for authorization in mapper(iam_audit.Request(region, params)):
            if denies(caller, authorization):
                action = authorization["action"]
                return _answer(start_response, "400 Bad Request", {
                    "__type": "AccessDeniedException",
                    "message": f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{caller}/{caller} is not authorized to perform: "
                               f"{action} on resource: {authorization['resource']} because no identity-based policy allows "
                               f"the {action} action"}, "application/x-amz-json-1.1")
        return app(environ, start_response)

    return wrapped
