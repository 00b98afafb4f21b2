"""Auto Scaling records its launches as scaling activities, and a launch from a deregistered AMI fails.

AWS behaviour reproduced:
- DescribeScalingActivities (EC2 Auto Scaling API Reference) returns the group's activities, newest
  first, at most MaxRecords (default and maximum 100), with NextToken for the rest: each launch is an
  activity "Launching a new EC2 instance: i-..." with StatusCode Successful.
- "Troubleshoot Amazon EC2 Auto Scaling: AMI issues"
  (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ts-as-ami.html): when the group's AMI does not
  exist (a deregistered image), the launch fails; the activity's StatusCode is Failed and its
  StatusMessage "The AMI ID <ami> does not exist. Launching EC2 instance failed.", and no instance is
  launched: the group stays below its desired capacity and tries again on its next attempt.

moto 5.2.1 answers DescribeScalingActivities with an empty list and launches instances of any image id.
Here only images deregistered in this emulator fail (moto's deleted_amis): the seeds launch from an AMI
id that was never registered, which AWS would refuse too, and that is out of this fix's reach.
"""
import uuid
from datetime import datetime, timezone

from moto.autoscaling.models import FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult

from . import clock

_replace = FakeAutoScalingGroup.replace_autoscaling_group_instances
_ACTIVITIES = {}  # (account, region, group name) -> list of activity dicts, oldest first


def _key(group):
    backend = group.autoscaling_backend
    return (backend.account_id, backend.region_name, group.name)


def _now():
    return datetime.fromtimestamp(clock.now(), timezone.utc)


def _record(group, description, cause, status, message=None, details=None):
    now = _now()
    activity = {
        "ActivityId": str(uuid.uuid4()),
        "AutoScalingGroupName": group.name,
        "AutoScalingGroupARN": group.arn,
        "Description": description,
        "Cause": cause,
        "StartTime": now,
        "EndTime": now,
        "StatusCode": status,
        "Progress": 100,
        "Details": details or "{}",
    }
    if message:
        activity["StatusMessage"] = message
    _ACTIVITIES.setdefault(_key(group), []).append(activity)
    return activity


def replace_autoscaling_group_instances(self, count_needed, propagated_tags):
    before = len(self.instance_states)
    after = before + count_needed
    stamp = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
    cause = (f"At {stamp} an instance was started in response to a difference between desired and actual capacity,"
             f" increasing the capacity from {before} to {after}.")
    image_id = self.image_id
    if image_id in self.autoscaling_backend.ec2_backend.deleted_amis:
        message = f"The AMI ID {image_id} does not exist. Launching EC2 instance failed."
        for _ in range(max(1, count_needed)):
            _record(self, "Launching a new EC2 instance.  Status Reason: " + message, cause, "Failed", message)
        return
    known = {state.instance.id for state in self.instance_states}
    _replace(self, count_needed, propagated_tags)
    for state in self.instance_states:
        if state.instance.id not in known:
            _record(self, f"Launching a new EC2 instance: {state.instance.id}", cause, "Successful",
                    details='{"Subnet ID":"%s","Availability Zone":"%s"}' % (
                        getattr(state.instance, "subnet_id", "") or "", state.instance.placement))


def describe_scaling_activities(self):
    name = self._get_param("AutoScalingGroupName")
    ids = set(self._get_param("ActivityIds", []) or [])
    max_records = int(self._get_param("MaxRecords") or 100)
    if max_records < 1 or max_records > 100:
        raise ValueError("MaxRecords must be between 1 and 100")
    start = int(self._get_param("NextToken") or 0)
    found = []
    for (account, region, group), activities in _ACTIVITIES.items():
        if account != self.current_account or region != self.region or (name and group != name):
            continue
        found.extend(a for a in activities if not ids or a["ActivityId"] in ids)
    found.sort(key=lambda a: a["StartTime"], reverse=True)
    page = found[start:start + max_records]
    result = {"Activities": page}
    if start + max_records < len(found):
        result["NextToken"] = str(start + max_records)
    return ActionResult(result)


def reset():
    _ACTIVITIES.clear()


def apply():
    FakeAutoScalingGroup.replace_autoscaling_group_instances = replace_autoscaling_group_instances
    AutoScalingResponse.describe_scaling_activities = describe_scaling_activities
