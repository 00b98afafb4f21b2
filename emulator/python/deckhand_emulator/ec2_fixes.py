"""EC2 seeding hook: the demo account and tests can ask for a known instance id.

Not an AWS behaviour: AWS picks instance ids. The sample events in events/ are AWS's documented
examples and name instance i-1234567890abcdef0, so the demo account needs an instance with that id.
RunInstances with Count=1 and the instance tag `deckhand:emulator-instance-id` gets that id; the tag
stays on the instance, so it is plain where the id came from.
"""
import moto.ec2.models.instances as instances
from moto.ec2.models.instances import InstanceBackend

ID_TAG = "deckhand:emulator-instance-id"
_requested = []
_random_instance_id = instances.random_instance_id


def _instance_id():
    return _requested.pop() if _requested else _random_instance_id()


def apply():
    original = InstanceBackend.run_instances

    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        wanted = kwargs.get("tags", {}).get("instance", {}).get(ID_TAG)
        if wanted and count == 1:
            _requested.append(wanted)
        try:
            return original(self, image_id, count, user_data, security_group_names, **kwargs)
        finally:
            _requested.clear()

    InstanceBackend.run_instances = run_instances
    instances.random_instance_id = _instance_id
