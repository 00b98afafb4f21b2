"""DescribeInstanceStatus `Events`: the scheduled events of an instance (reboot, maintenance, ...).

AWS behaviour reproduced (Amazon EC2 API Reference, DescribeInstanceStatus and InstanceStatusEvent,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceStatusEvent.html):
  - each instance status lists "any scheduled events associated with the instance": `Code`
    (instance-reboot | system-reboot | system-maintenance | instance-retirement | instance-stop),
    `InstanceEventId`, `Description`, `NotBefore`, `NotAfter`;
  - "After a scheduled event is completed, it can still be described for up to a week. If the
    event has been completed, this description starts with the following text: [Completed]."
moto 5.2.1 described no event at all. Only EC2 schedules events: the control action
`ec2/scheduled-event` {region, instanceId, code, startsInSeconds, lastsSeconds, description?}
schedules one from the emulator's clock (clock.py). The event is completed once the clock passes
its `NotAfter` (the window is over) and gone a week later.
"""
import datetime
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import Instance

from . import clock

CODES = {"instance-reboot", "system-reboot", "system-maintenance", "instance-retirement", "instance-stop"}
COMPLETED_KEPT = 7 * 24 * 3600
# (account, region, instance id) -> [event]
_events = {}


def reset():
    _events.clear()


def _time(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def events(self):
    now = clock.now()
    described = []
    for event in _events.get((self.ec2_backend.account_id, self.region_name, self.id), []):
        if now > event["end"] + COMPLETED_KEPT:
            continue
        completed = now > event["end"]
        described.append({
            "InstanceEventId": event["id"],
            "Code": event["code"],
            "Description": ("[Completed] " if completed else "") + event["description"],
            "NotBefore": _time(event["start"]),
            "NotAfter": _time(event["end"]),
        })
    return described


def control_scheduled_event(body):
    account = body.get("account", DEFAULT_ACCOUNT_ID)
    region = body["region"]
    instance = ec2_backends[account][region].get_instance(body["instanceId"])
    code = body["code"]
    if code not in CODES:
        raise ValueError(f"code must be one of {sorted(CODES)}, got {code}")
    start = clock.now() + float(body["startsInSeconds"])
    event = {"id": "instance-event-" + uuid.uuid4().hex[:17], "code": code, "start": start,
             "end": start + float(body["lastsSeconds"]),
             "description": body.get("description") or "scheduled " + code.replace("-", " ")}
    _events.setdefault((account, region, instance.id), []).append(event)
    return {"instanceEventId": event["id"], "notBefore": event["start"], "notAfter": event["end"]}


def apply():
    from . import control
    Instance.events = property(events)
    control.ACTIONS["ec2/scheduled-event"] = control_scheduled_event
