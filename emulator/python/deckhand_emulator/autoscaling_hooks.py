"""Auto Scaling lifecycle actions, which moto lacks: CompleteLifecycleAction and
RecordLifecycleActionHeartbeat against the actions an instance is waiting on.

AWS behaviour reproduced (EC2 Auto Scaling API Reference, CompleteLifecycleAction and
RecordLifecycleActionHeartbeat; "Amazon EC2 Auto Scaling lifecycle hooks"):
  - an instance waits on a hook (Pending:Wait / Terminating:Wait) with a lifecycle action token;
  - both calls name the group and hook, and the token or the instance id; when no action is waiting
    for them they fail with ValidationError "No active Lifecycle Action found with token ..." (or
    "... with instance ID ..."), so completing twice fails the second time;
  - LifecycleActionResult is CONTINUE or ABANDON, anything else is a ValidationError;
  - a heartbeat restarts the hook's timeout and leaves the action waiting;
  - an action not completed within the hook's HeartbeatTimeout (since it started or since its last
    heartbeat) ends with the hook's DefaultResult (PutLifecycleHook: HeartbeatTimeout 30-7200 s,
    default 3600; DefaultResult default ABANDON);
  - whatever the heartbeats, an action ends at the hook's GlobalTimeout after it started: "the
    maximum time, in seconds, that an instance can remain in a wait state. The maximum is 172800
    seconds (48 hours) or 100 times HeartbeatTimeout, whichever is smaller" (API Reference,
    LifecycleHook). DescribeLifecycleHooks answers that GlobalTimeout (moto: always 172800).
  An action that ended by a timeout is no longer active: completing it, or a heartbeat, is the
  ValidationError above.

Where AWS puts an instance on a hook by itself, the local scheduler and tests ask the control
API: autoscaling/lifecycle-action creates a waiting action (with the hook's timeouts, when the hook
was put; AWS's defaults otherwise); autoscaling/lifecycle-actions lists every action with its
heartbeats, result and `endedBy` (CompleteLifecycleAction, HeartbeatTimeout or GlobalTimeout), so
tests can see exactly what a function did. Time is the emulator's clock (clock.py).
"""
import uuid

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import LifecycleHook, autoscaling_backends
from moto.autoscaling.responses import AutoScalingResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import EmptyResult

from . import clock

MAX_GLOBAL_TIMEOUT = 172800
DEFAULT_HEARTBEAT_TIMEOUT = 3600


def global_timeout(heartbeat_timeout):
    return min(MAX_GLOBAL_TIMEOUT, 100 * int(heartbeat_timeout))

# (account, region) -> list of action dicts, oldest first
_actions = {}


def _list(account, region):
    return _actions.setdefault((account, region), [])


def reset():
    _actions.clear()


def _expire(action):
    """Ends a waiting action whose time is up, as Auto Scaling does by itself."""
    if action["state"] != "WAITING":
        return
    heartbeat_end = action["timeoutAt"]
    global_end = action["startedAt"] + action["globalTimeout"]
    end = min(heartbeat_end, global_end)
    if clock.now() >= end:
        action["state"] = action["defaultResult"]
        action["completedAt"] = end
        action["endedBy"] = "GlobalTimeout" if global_end <= heartbeat_end else "HeartbeatTimeout"


def _find(account, region, group, hook, token, instance_id):
    for action in _list(account, region):
        _expire(action)
        if action["state"] != "WAITING":
            continue
        if action["group"] != group or action["hook"] != hook:
            continue
        if token and action["token"] == token:
            return action
        if not token and instance_id and action["instanceId"] == instance_id:
            return action
    if token:
        raise ValidationError(f"No active Lifecycle Action found with token {token}")
    raise ValidationError(f"No active Lifecycle Action found with instance ID {instance_id}")


def _complete_lifecycle_action(self):
    result = self._get_param("LifecycleActionResult")
    if result not in ("CONTINUE", "ABANDON"):
        raise ValidationError(f"Invalid LifecycleActionResult: {result}. Valid values are CONTINUE and ABANDON.")
    action = _find(self.current_account, self.region, self._get_param("AutoScalingGroupName"),
                   self._get_param("LifecycleHookName"), self._get_param("LifecycleActionToken"),
                   self._get_param("InstanceId"))
    action["state"] = result
    action["completedAt"] = clock.now()
    action["endedBy"] = "CompleteLifecycleAction"
    return EmptyResult()


def _record_lifecycle_action_heartbeat(self):
    action = _find(self.current_account, self.region, self._get_param("AutoScalingGroupName"),
                   self._get_param("LifecycleHookName"), self._get_param("LifecycleActionToken"),
                   self._get_param("InstanceId"))
    now = clock.now()
    action["heartbeats"].append(now)
    action["timeoutAt"] = now + action["heartbeatTimeout"]
    return EmptyResult()


def control_wait(body):
    """An instance starts waiting on a hook, as when Auto Scaling sends the lifecycle event."""
    account = body.get("account", DEFAULT_ACCOUNT_ID)
    described = autoscaling_backends[account][body["region"]].lifecycle_hooks.get(f"{body['group']}_{body['hook']}")
    heartbeat_timeout = described.heartbeat_timeout if described else DEFAULT_HEARTBEAT_TIMEOUT
    now = clock.now()
    action = {
        "group": body["group"],
        "hook": body["hook"],
        "instanceId": body["instanceId"],
        "transition": body.get("transition", "autoscaling:EC2_INSTANCE_TERMINATING"),
        "token": body.get("token") or str(uuid.uuid4()),
        "origin": body.get("origin"),
        "destination": body.get("destination"),
        "state": "WAITING",
        "heartbeats": [],
        "heartbeatTimeout": heartbeat_timeout,
        "globalTimeout": global_timeout(heartbeat_timeout),
        "defaultResult": described.default_result if described else "ABANDON",
        "startedAt": now,
        "timeoutAt": now + heartbeat_timeout,
        "createdAt": now,
        "completedAt": None,
        "endedBy": None,
    }
    _list(account, body["region"]).append(action)
    return action


def control_list(body):
    actions = _list(body.get("account", DEFAULT_ACCOUNT_ID), body["region"])
    for action in actions:
        _expire(action)
    return {"actions": actions}


_moto_hook_init = LifecycleHook.__init__


def _hook_init(self, *args, **kwargs):
    _moto_hook_init(self, *args, **kwargs)
    self.global_timeout = global_timeout(self.heartbeat_timeout)


def apply():
    LifecycleHook.__init__ = _hook_init
    AutoScalingResponse.complete_lifecycle_action = _complete_lifecycle_action
    AutoScalingResponse.record_lifecycle_action_heartbeat = _record_lifecycle_action_heartbeat
