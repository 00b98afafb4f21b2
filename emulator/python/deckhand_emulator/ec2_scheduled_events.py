"""DescribeInstanceStatus `Events`: the scheduled events of an instance (reboot, maintenance, ...).

AWS behaviour reproduced (Amazon EC2 API Reference, DescribeInstanceStatus and InstanceStatusEvent,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceStatusEvent.html):
  - each instance status lists "any scheduled events associated with the instance": `Code`
    (instance-reboot | system-reboot | system-maintenance | instance-retirement | instance-stop),
    `InstanceEventId`, `Description`, `NotBefore`, `NotAfter`;
  - "After a scheduled event is completed, it can still be described for up to a week. If the
    event has been completed, this description starts with the following text: [Completed]."
  - ModifyInstanceEventStartTime moves an event's start (EC2 User Guide, "Reschedule a scheduled
    event for an EC2 instance", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/reschedule-event.html):
    "Only events with an event deadline date can be rescheduled ... up to the event deadline date"
    (`NotBeforeDeadline`); "Only events that have not yet started can be rescheduled ... Events that
    are scheduled to start in the next 5 minutes can't be rescheduled"; "The new event start time
    must be at least 60 minutes from the current time". AWS names no error code for these:
    InvalidParameterValue here. The window keeps its length.
moto 5.2.1 described no event at all and had no ModifyInstanceEventStartTime. Only EC2 schedules
events: the control action `ec2/scheduled-event` {region, instanceId, code, startsInSeconds,
lastsSeconds, deadlineInSeconds?, description?} schedules one from the emulator's clock (clock.py).
The event is completed once the clock passes its `NotAfter` (the window is over) and gone a week later.
"""
import datetime
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import Instance
from moto.ec2.responses.instances import InstanceResponse

from . import clock

CODES = {"instance-reboot", "system-reboot", "system-maintenance", "instance-retirement", "instance-stop"}
COMPLETED_KEPT = 7 * 24 * 3600
# (account, region, instance id) -> [event]
_events = {}


def reset():
    _events.clear()


def _time(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def _described(event, now):
    described = {
        "InstanceEventId": event["id"],
        "Code": event["code"],
        "Description": ("[Completed] " if now > event["end"] else "") + event["description"],
        "NotBefore": _time(event["start"]),
        "NotAfter": _time(event["end"]),
    }
    if event.get("deadline") is not None:
        described["NotBeforeDeadline"] = _time(event["deadline"])
    return described


def events(self):
    now = clock.now()
    return [_described(event, now) for event in _events.get((self.ec2_backend.account_id, self.region_name, self.id), [])
            if now <= event["end"] + COMPLETED_KEPT]


def _modify_instance_event_start_time(self):
    instance_id = self._get_param("InstanceId")
    event_id = self._get_param("InstanceEventId")
    not_before = self._get_param("NotBefore")
    self.error_on_dryrun()
    instance = self.ec2_backend.get_instance(instance_id)
    event = next((e for e in _events.get((self.ec2_backend.account_id, self.region, instance.id), []) if e["id"] == event_id), None)
    if event is None:
        raise EC2ClientError("InvalidParameterValue", f"The instance event '{event_id}' of {instance_id} does not exist")
    start = not_before.timestamp() if hasattr(not_before, "timestamp") else datetime.datetime.fromisoformat(
        str(not_before).replace("Z", "+00:00")).timestamp()
    now = clock.now()
    if event.get("deadline") is None:
        raise EC2ClientError("InvalidParameterValue", f"The instance event '{event_id}' has no deadline and cannot be rescheduled")
    if event["start"] <= now + 300:
        raise EC2ClientError("InvalidParameterValue", f"The instance event '{event_id}' has started or starts in the next 5 minutes")
    if start < now + 3600:
        raise EC2ClientError("InvalidParameterValue", "The new event start time must be at least 60 minutes from the current time")
    if start > event["deadline"]:
        raise EC2ClientError("InvalidParameterValue", f"The new event start time is after the event deadline {_time(event['deadline']).isoformat()}")
    event["end"] = start + (event["end"] - event["start"])
    event["start"] = start
    return ActionResult({"Event": _described(event, now)})


def control_scheduled_event(body):
    account = body.get("account", DEFAULT_ACCOUNT_ID)
    region = body["region"]
    instance = ec2_backends[account][region].get_instance(body["instanceId"])
    code = body["code"]
    if code not in CODES:
        raise ValueError(f"code must be one of {sorted(CODES)}, got {code}")
    start = clock.now() + float(body["startsInSeconds"])
    deadline = body.get("deadlineInSeconds")
    event = {"id": "instance-event-" + uuid.uuid4().hex[:17], "code": code, "start": start,
             "end": start + float(body["lastsSeconds"]),
             "deadline": None if deadline is None else clock.now() + float(deadline),
             "description": body.get("description") or "scheduled " + code.replace("-", " ")}
    _events.setdefault((account, region, instance.id), []).append(event)
    return {"instanceEventId": event["id"], "notBefore": event["start"], "notAfter": event["end"]}


def apply():
    from . import control
    Instance.events = property(events)
    InstanceResponse.modify_instance_event_start_time = _modify_instance_event_start_time
    control.ACTIONS["ec2/scheduled-event"] = control_scheduled_event
