"""DescribeInstances by instance id, for ids that are malformed or whose instance is gone.

AWS behaviour reproduced (Amazon EC2 API Reference, DescribeInstances, and "Error codes for the
Amazon EC2 API", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html):
  - "If you specify an instance ID that is not valid, an error is returned": the whole call fails.
    An id that is not an EC2 instance id (`i-` and 8 or 17 hexadecimal digits), such as an ECS
    Anywhere managed instance `mi-...`, is `InvalidInstanceID.Malformed` ("The specified instance
    ID is malformed"), answered `Invalid id: "<id>"`; an id of no instance is
    `InvalidInstanceID.NotFound`, naming every such id: "The instance ID 'i-1' does not exist",
    "The instance IDs 'i-1, i-2' do not exist".
  - "Recently terminated instances might appear in the returned results. This interval is usually
    less than one hour." After that the instance is gone: by id NotFound, by the filter
    `instance-id` (which never fails for an id) simply absent.
moto 5.2.1 named one missing id at random, answered NotFound for malformed ids, and kept terminated
instances forever. The hour is not waited for: the control action `ec2/forget-terminated`
{region, instanceIds?} ends it for the terminated instances named (all when none are named).
"""
import re

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.exceptions import EC2ClientError, InvalidInstanceIdError
from moto.ec2.models import ec2_backends
from moto.ec2.models.instances import InstanceBackend

from . import control

INSTANCE_ID = re.compile(r"^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_original = {}


class MalformedInstanceIdError(EC2ClientError):
    def __init__(self, instance_id):
        super().__init__("InvalidInstanceID.Malformed", f'Invalid id: "{instance_id}"')


def get_reservations_by_instance_ids(self, instance_ids, filters=None):
    for instance_id in instance_ids:
        if not INSTANCE_ID.match(instance_id or ""):
            raise MalformedInstanceIdError(instance_id)
    known = {instance.id for reservation in self.reservations.values() for instance in reservation.instances}
    missing = [i for i in dict.fromkeys(instance_ids) if i not in known]
    if missing:
        raise InvalidInstanceIdError(missing)
    return _original["get_reservations_by_instance_ids"](self, instance_ids, filters)


def control_forget_terminated(body):
    backend = ec2_backends[body.get("account", DEFAULT_ACCOUNT_ID)][body["region"]]
    named = set(body.get("instanceIds") or [])
    forgotten = []
    for reservation_id, reservation in list(backend.reservations.items()):
        for instance in list(reservation.instances):
            if instance.state == "terminated" and (not named or instance.id in named):
                reservation.instances.remove(instance)
                forgotten.append(instance.id)
        if not reservation.instances:
            del backend.reservations[reservation_id]
    unknown = named - set(forgotten)
    if unknown:
        raise KeyError(f"not terminated instances, or no such instances: {sorted(unknown)}")
    return {"forgotten": forgotten}


def apply():
    _original["get_reservations_by_instance_ids"] = InstanceBackend.get_reservations_by_instance_ids
    InstanceBackend.get_reservations_by_instance_ids = get_reservations_by_instance_ids
    control.ACTIONS["ec2/forget-terminated"] = control_forget_terminated
