"""Auto Scaling lifecycle actions, which moto lacks: CompleteLifecycleAction and
RecordLifecycleActionHeartbeat against the actions an instance is waiting on.

AWS behaviour reproduced (EC2 Auto Scaling API Reference, CompleteLifecycleAction and
RecordLifecycleActionHeartbeat; "Amazon EC2 Auto Scaling lifecycle hooks"):
  - an instance waits on a hook (Pending:Wait / Terminating:Wait) with a lifecycle action token;
  - both calls name the group and hook, and the token or the instance id; when no action is waiting
    for them they fail with ValidationError "No active Lifecycle Action found with token ..." (or
    "... with instance ID ..."), so completing twice fails the second time;
  - LifecycleActionResult is CONTINUE or ABANDON, anything else is a ValidationError;
  - a heartbeat restarts the hook's timeout and leaves the action waiting.

Where AWS puts an instance on a hook by itself, the local scheduler and tests ask the control
API: autoscaling/lifecycle-action creates a waiting action; autoscaling/lifecycle-actions lists
every action with its heartbeats and result, so tests can see exactly what a function did.
"""
import time
import uuid

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.responses import AutoScalingResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import EmptyResult

# (account, region) -> list of action dicts, oldest first
_actions = {}


def _list(account, region):
    return _actions.setdefault((account, region), [])


def reset():
    _actions.clear()


def _find(account, region, group, hook, token, instance_id):
    for action in _list(account, region):
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
    action["completedAt"] = time.time()
    return EmptyResult()


def _record_lifecycle_action_heartbeat(self):
    action = _find(self.current_account, self.region, self._get_param("AutoScalingGroupName"),
                   self._get_param("LifecycleHookName"), self._get_param("LifecycleActionToken"),
                   self._get_param("InstanceId"))
    action["heartbeats"].append(time.time())
    return EmptyResult()


def control_wait(body):
    """An instance starts waiting on a hook, as when Auto Scaling sends the lifecycle event."""
    action = {
        "group": body["group"],
        "hook": body["hook"],
        "instanceId": body["instanceId"],
        "transition": body.get("transition", "autoscaling:EC2_INSTANCE_TERMINATING"),
        "token": body.get("token") or str(uuid.uuid4()),
        "state": "WAITING",
        "heartbeats": [],
        "createdAt": time.time(),
        "completedAt": None,
    }
    _list(body.get("account", DEFAULT_ACCOUNT_ID), body["region"]).append(action)
    return action


def control_list(body):
    return {"actions": _list(body.get("account", DEFAULT_ACCOUNT_ID), body["region"])}


def apply():
    AutoScalingResponse.complete_lifecycle_action = _complete_lifecycle_action
    AutoScalingResponse.record_lifecycle_action_heartbeat = _record_lifecycle_action_heartbeat
