"""EC2 seeding hook: the demo account and tests can ask for a known instance id.

Not an AWS behaviour: AWS picks instance ids. The sample events in events/ are AWS's documented
examples and name instance i-1234567890abcdef0, so the demo account needs an instance with that id.
RunInstances with Count=1 and the instance tag `deckhand:emulator-instance-id` gets that id; the tag
stays on the instance, so it is plain where the id came from. Likewise CreateFleet and
RequestSpotFleet with the tag `deckhand:emulator-fleet-id` on the fleet (resource type `fleet` or
`spot-fleet-request`) get that id: the fleet samples name fleet-9bb19bc6-... and sfr-38725d30-....
"""
import moto.ec2.models.fleets as fleets
import moto.ec2.models.instances as instances
import moto.ec2.models.spot_requests as spot_requests
from moto.ec2.models.fleets import FleetsBackend
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.models.spot_requests import SpotRequestBackend

ID_TAG = "deckhand:emulator-instance-id"
FLEET_ID_TAG = "deckhand:emulator-fleet-id"
_requested = []
_requested_fleet = []
_random_instance_id = instances.random_instance_id
_random_fleet_id = fleets.random_fleet_id
_random_spot_fleet_request_id = spot_requests.random_spot_fleet_request_id


def _instance_id():
    return _requested.pop() if _requested else _random_instance_id()


def _fleet_id():
    return _requested_fleet.pop() if _requested_fleet else _random_fleet_id()


def spot_fleet_request_id(generate):
    """A Spot Fleet request id generator: the one asked for by the tag, else `generate()`."""
    return lambda: _requested_fleet.pop() if _requested_fleet else generate()


def _wanted_fleet_id(tag_specifications):
    for spec in tag_specifications or []:
        tags = spec.get("Tag", spec.get("Tags", [])) if isinstance(spec, dict) else []
        for tag in tags or []:
            if tag.get("Key") == FLEET_ID_TAG:
                return tag.get("Value")
    return None


def _with_fleet_id(original):
    def create(self, *args, **kwargs):
        wanted = _wanted_fleet_id(kwargs.get("tag_specifications"))
        if wanted:
            _requested_fleet.append(wanted)
        try:
            return original(self, *args, **kwargs)
        finally:
            _requested_fleet.clear()

    return create


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
    FleetsBackend.create_fleet = _with_fleet_id(FleetsBackend.create_fleet)
    SpotRequestBackend.request_spot_fleet = _with_fleet_id(SpotRequestBackend.request_spot_fleet)
    fleets.random_fleet_id = _fleet_id
    spot_requests.random_spot_fleet_request_id = spot_fleet_request_id(_random_spot_fleet_request_id)
