"""EC2 Fleets and Spot Fleet requests keep a history: DescribeFleetHistory, DescribeSpotFleetRequestHistory.

AWS behaviour reproduced (EC2 API Reference,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFleetHistory.html and
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSpotFleetRequestHistory.html, with
the HistoryRecordEntry, HistoryRecord and EventInformation shapes):
- both take the fleet's id and a required StartTime and answer the fleet's events at or after it,
  oldest first, as HistoryRecords of EventType, EventInformation {EventSubType, EventDescription,
  InstanceId (instance changes only)} and Timestamp, with FleetId / SpotFleetRequestId, StartTime and
  LastEvaluatedTime ("All records up to this time were retrieved"; absent when NextToken says more);
  MaxResults (Spot Fleet: 1 to 1000) and NextToken page them.
- EC2 Fleet event types are instance-change, fleet-change and service-error; Spot Fleet's are
  instanceChange, fleetRequestChange, error and information. A fleet records `submitted` and `active`
  when it is created and `launched` (with the instance) for each member it launches.
- A fleet whose launch template names an image that no longer exists (deregistered here) launches
  nothing and records an error `spotFleetRequestConfigurationInvalid`, described as the Spot Fleet
  error event's sample is ("m5.large, ami-..., Linux/UNIX: The image id '[ami-...]' does not exist";
  EC2 User Guide, "Spot Fleet event types"): the error open-ticket tickets.
- A fleet that does not exist: Spot Fleet `InvalidSpotFleetRequestId.NotFound` (EC2 API Reference,
  "Error codes for the Amazon EC2 API"); EC2 Fleet `InvalidFleetId.NotFound`, the code AWS answers for
  an EC2 Fleet id it does not know (that page does not list it; the Terraform AWS provider handles it).
- "Events are delayed by up to 30 seconds": here they are describable at once (0 s is within that).

moto 5.2.1 implemented neither call (an unknown action). Records are kept per fleet, in memory,
reset with moto's reset; events older than the 48 hours AWS keeps them are not expired here.
"""
import uuid
from datetime import datetime, timezone

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.fleets import Fleet
from moto.ec2.models.spot_requests import SpotFleetRequest
from moto.ec2.models.tags import TagBackend
from moto.ec2.responses.fleets import Fleets
from moto.ec2.responses.spot_fleets import SpotFleets

from . import clock

FLEET_TAG = "aws:ec2:fleet-id"
SPOT_FLEET_TAG = "aws:ec2spot:fleet-request-id"
_HISTORY = {}   # (account, region, fleet id) -> list of records, oldest first
_LAUNCHED = set()   # (fleet id, instance id) already recorded as launched


def _now():
    return datetime.fromtimestamp(clock.now(), timezone.utc)


def _key(backend, fleet_id):
    return (backend.account_id, backend.region_name, fleet_id)


def _spot_fleet(fleet_id):
    return fleet_id.startswith("sfr-")


def record(backend, fleet_id, kind, sub_type, description=None, instance_id=None):
    """kind: "instance", "change" or "error"; named as each API names its event types."""
    spot = _spot_fleet(fleet_id)
    event_type = {"instance": "instanceChange" if spot else "instance-change",
                  "change": "fleetRequestChange" if spot else "fleet-change",
                  "error": "error" if spot else "service-error"}[kind]
    information = {"EventSubType": sub_type}
    if description is not None:
        information["EventDescription"] = description
    if instance_id is not None:
        information["InstanceId"] = instance_id
    _HISTORY.setdefault(_key(backend, fleet_id), []).append(
        {"EventType": event_type, "EventInformation": information, "Timestamp": _now(), "_id": str(uuid.uuid4())})


# ---- what fleets record

_fleet_init = None
_spot_init = None


def _fleet_created(self, ec2_backend, fleet_id, *args, **kwargs):
    record(ec2_backend, fleet_id, "change", "submitted")
    record(ec2_backend, fleet_id, "change", "active")
    _fleet_init(self, ec2_backend, fleet_id, *args, **kwargs)


def _spot_fleet_created(self, ec2_backend, spot_backend, spot_fleet_request_id, *args, **kwargs):
    record(ec2_backend, spot_fleet_request_id, "change", "submitted")
    record(ec2_backend, spot_fleet_request_id, "change", "active")
    _spot_init(self, ec2_backend, spot_backend, spot_fleet_request_id, *args, **kwargs)


_create_tags = TagBackend.create_tags


def _tagged(self, resource_ids, tags):
    """Every fleet member is tagged with its fleet's id as it launches (ec2_fleet_members.py,
    spot_fleet_on_demand.py): the one place every launch path passes."""
    result = _create_tags(self, resource_ids, tags)
    fleet_id = tags.get(FLEET_TAG) or tags.get(SPOT_FLEET_TAG)
    if fleet_id:
        for instance_id in resource_ids:
            if instance_id.startswith("i-") and (fleet_id, instance_id) not in _LAUNCHED:
                _LAUNCHED.add((fleet_id, instance_id))
                instance = self.get_instance(instance_id)
                description = ('{"instanceType":"%s","image":"%s","productDescription":"Linux/UNIX","availabilityZone":"%s"}'
                               % (instance.instance_type, instance.image_id, instance.placement))
                record(self, fleet_id, "instance", "launched", description, instance_id)
    return result


def _missing_image(fleet):
    """The first launch spec whose image no longer exists, as (spec, image id), or None."""
    from . import ec2_image_aliases
    backend = fleet.ec2_backend
    for spec in getattr(fleet, "launch_specs", []) or []:
        image = spec.image_id
        if image and image.startswith("resolve:ssm:"):
            try:
                image = ec2_image_aliases.resolve(image, backend.region_name, backend.account_id)
            except Exception:   # an alias that names nothing is not this check's business
                continue
        if image and image in backend.deleted_amis:
            return spec, image
    return None


def _refusing_missing_images(launch):
    def launching(fleet, weight_to_add, *args, **kwargs):
        missing = _missing_image(fleet) if weight_to_add and weight_to_add > 0 else None
        if missing is not None:
            spec, image = missing
            record(fleet.ec2_backend, fleet.id, "error", "spotFleetRequestConfigurationInvalid",
                   f"{spec.instance_type}, {image}, Linux/UNIX: The image id '[{image}]' does not exist")
            return None
        return launch(fleet, weight_to_add, *args, **kwargs)
    return launching


# ---- the calls

def _records_since(backend, fleet_id, start, event_type, max_results, token, limit):
    if max_results is not None and not 1 <= int(max_results) <= limit:
        raise EC2ClientError("InvalidParameterValue", f"MaxResults must be between 1 and {limit}")
    records = [r for r in _HISTORY.get(_key(backend, fleet_id), []) if r["Timestamp"] >= start
               and (not event_type or r["EventType"] == event_type)]
    first = int(token or 0)
    size = int(max_results) if max_results is not None else 1000
    page = [{k: v for k, v in r.items() if not k.startswith("_")} for r in records[first:first + size]]
    result = {"HistoryRecords": page, "StartTime": start}
    if first + size < len(records):
        result["NextToken"] = str(first + size)
    else:
        result["LastEvaluatedTime"] = _now()
    return result


def _start_time(response):
    raw = response._get_param("StartTime")
    if not raw:
        raise EC2ClientError("MissingParameter", "The request must contain the parameter StartTime")
    if isinstance(raw, str):
        raw = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return raw if raw.tzinfo else raw.replace(tzinfo=timezone.utc)


def describe_fleet_history(self):
    fleet_id = self._get_param("FleetId")
    start = _start_time(self)
    if fleet_id not in self.ec2_backend.fleets:
        raise EC2ClientError("InvalidFleetId.NotFound", f"The fleet ID '{fleet_id}' does not exist")
    result = _records_since(self.ec2_backend, fleet_id, start, self._get_param("EventType"), self._get_param("MaxResults"),
                            self._get_param("NextToken"), 1000)
    result["FleetId"] = fleet_id
    return ActionResult(result)


def describe_spot_fleet_request_history(self):
    request_id = self._get_param("SpotFleetRequestId")
    start = _start_time(self)
    if request_id not in self.ec2_backend.spot_fleet_requests:
        raise EC2ClientError("InvalidSpotFleetRequestId.NotFound", f"The spot fleet request ID '{request_id}' does not exist")
    result = _records_since(self.ec2_backend, request_id, start, self._get_param("EventType"), self._get_param("MaxResults"),
                            self._get_param("NextToken"), 1000)
    result["SpotFleetRequestId"] = request_id
    return ActionResult(result)


def reset():
    _HISTORY.clear()
    _LAUNCHED.clear()


def apply():
    """Call after the other fleet fixes: it wraps the launches as they left them."""
    global _fleet_init, _spot_init
    from . import fleet_on_demand, spot_fleet_on_demand
    _fleet_init = Fleet.__init__
    _spot_init = SpotFleetRequest.__init__
    Fleet.__init__ = _fleet_created
    SpotFleetRequest.__init__ = _spot_fleet_created
    TagBackend.create_tags = _tagged
    Fleet.create_spot_requests = _refusing_missing_images(Fleet.create_spot_requests)
    Fleet.create_on_demand_requests = _refusing_missing_images(Fleet.create_on_demand_requests)
    SpotFleetRequest.create_spot_requests = _refusing_missing_images(SpotFleetRequest.create_spot_requests)
    fleet_on_demand._create_on_demand = _refusing_missing_images(fleet_on_demand._create_on_demand)
    spot_fleet_on_demand._launch_on_demand = _refusing_missing_images(spot_fleet_on_demand._launch_on_demand)
    Fleets.describe_fleet_history = describe_fleet_history
    SpotFleets.describe_spot_fleet_request_history = describe_spot_fleet_request_history
