"""The On-Demand part of a Spot Fleet request as AWS documents it, for hold-capacity's Spot Fleet lever.

AWS behaviour reproduced:
  - RequestSpotFleet with SpotFleetRequestConfigData.OnDemandTargetCapacity (EC2 API Reference,
    SpotFleetRequestConfigData; User Guide "On-Demand in Spot Fleet"): of the TargetCapacity, that many
    units are launched as On-Demand instances (no Spot request, no InstanceLifecycle) and the rest as
    Spot. DescribeSpotFleetRequests reports OnDemandTargetCapacity and OnDemandFulfilledCapacity, and
    FulfilledCapacity counts both parts. moto read neither and launched the whole target as Spot.
  - ModifySpotFleetRequest with TargetCapacity and OnDemandTargetCapacity, for a request of type
    maintain only (EC2 API Reference, ModifySpotFleetRequest): the fleet launches up to the new
    targets; lowered with ExcessCapacityTerminationPolicy noTermination the running instances are
    kept, otherwise (default) the excess is terminated. moto read TargetCapacity only.
  - DescribeSpotFleetInstances lists the fleet's On-Demand members too (an ActiveInstance without a
    SpotInstanceRequestId). moto listed the Spot members only.
  - Every instance a Spot Fleet launches carries the tag aws:ec2spot:fleet-request-id (the key AWS's
    own AWSEC2SpotFleetServiceRolePolicy conditions TerminateInstances on). moto tagged none.
  - A request of type maintain replaces a terminated On-Demand member only while it is below its
    On-Demand target ("maintain" keeps the target): one lowered with noTermination and then
    terminated by hand is not replaced.
  - Targets are in units (fleet_units.py): a member counts its type's WeightedCapacity (or its
    vCPUs or MiB for a TargetCapacityUnitType vcpu or memory-mib); the On-Demand part is launched,
    raised, lowered and replaced in whole instances until its target in units is met, and
    FulfilledCapacity / OnDemandFulfilledCapacity are the units of the live members. moto (and this
    module before) counted instances.
  - A Spot Fleet request id is sfr- and a UUID (sfr-73fbd2ce-aa30-494c-8788-1cee4EXAMPLE in the
    ModifySpotFleetRequest examples; the ARN in an EC2 Spot Fleet Error event). moto's was sfr- and
    17 hex digits.
  - DescribeSpotFleetRequests returns a request's current tags: those given at RequestSpotFleet and
    those added by CreateTags or removed by DeleteTags afterwards (EC2 API Reference,
    SpotFleetRequestConfig.Tags). moto returned the tags it was created with.
"""
import uuid

from moto.ec2.models import spot_requests
from moto.ec2.exceptions import InvalidParameterValue
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.models.spot_requests import SpotFleetRequest
from moto.ec2.responses.spot_fleets import SpotFleets

from . import ec2_fixes
from moto.core.responses import ActionResult

from . import fleet_units

FLEET_TAG = "aws:ec2spot:fleet-request-id"

_request = None
_modify = None
_terminate = None
_create_spot = None
_config = None


def _on_demand(request):
    return [i for i in getattr(request, "deckhand_on_demand", []) if i.state != "terminated"]


def _spot(request):
    return [r.instance for r in request.spot_requests if r.instance.state != "terminated"]


def _on_demand_target(request):
    return getattr(request, "on_demand_target_capacity", 0)


def _tag(request, instances):
    untagged = [i.id for i in instances if FLEET_TAG not in i.get_tags()]
    if untagged:
        request.ec2_backend.create_tags(untagged, {FLEET_TAG: request.id})


def _units(request, instances):
    return sum(fleet_units.member_units(request, i) for i in instances)


def _launch_on_demand(request, units):
    """Runs On-Demand instances worth at least `units` from the fleet's cheapest launch spec, as members of the request."""
    weights, _ = request.get_launch_spec_counts(units)
    for spec, number in weights.items():
        reservation = request.ec2_backend.run_instances(
            image_id=spec.image_id, count=number, instance_type=spec.instance_type, is_instance_type_default=False,
            key_name=spec.key_name, security_group_names=[], security_group_ids=spec.group_set, user_data=spec.user_data,
            placement=None, kernel_id=None, ramdisk_id=None, monitoring_enabled=spec.monitoring_enabled,
            subnet_id=spec.subnet_id, spot_fleet_id=request.id, tags=spec.tag_specifications)
        request.deckhand_on_demand = _on_demand(request) + list(reservation.instances)
        _tag(request, reservation.instances)


def _excess(request, instances, target):
    """The newest members whose units can go while the rest still meet `target`."""
    units = _units(request, instances)
    excess = []
    for instance in sorted(instances, key=lambda i: i.launch_time, reverse=True):
        if units - fleet_units.member_units(request, instance) < target:
            break
        units -= fleet_units.member_units(request, instance)
        excess.append(instance.id)
    return excess


# ---- RequestSpotFleet: the On-Demand part of the target

def _request_spot_fleet(self):
    config = self._get_param("SpotFleetRequestConfig", {}) or {}
    on_demand = int(config.get("OnDemandTargetCapacity") or 0)
    total = int(config.get("TargetCapacity") or 0)
    if on_demand > total:
        raise InvalidParameterValue(f"OnDemandTargetCapacity {on_demand} is above TargetCapacity {total}")
    # moto (with ec2_fleets.py) launches its TargetCapacity as Spot: it is handed only the Spot part.
    unit_type = config.get("TargetCapacityUnitType")
    fleet_units.check_unit_type(unit_type, config.get("LaunchTemplateConfigs"))
    config["TargetCapacity"] = total - on_demand
    token = fleet_units.creating_with_unit_type(unit_type)
    try:
        result = _request(self)
    finally:
        config["TargetCapacity"] = total
        fleet_units.reset_unit_type(token)
    request_id = result.data["SpotFleetRequestId"] if hasattr(result, "data") else result.result["SpotFleetRequestId"]
    request = self.ec2_backend.get_spot_fleet_request(request_id)
    # Its tags live where CreateTags and DeleteTags change them.
    if request.tags.get("spot-fleet-request"):
        self.ec2_backend.create_tags([request.id], request.tags["spot-fleet-request"])
    request.target_capacity = total
    request.on_demand_target_capacity = on_demand
    if on_demand:
        _launch_on_demand(request, on_demand)
    return result


def _create_spot_requests(self, weight_to_add):
    result = _create_spot(self, weight_to_add)
    _tag(self, _spot(self))
    return result


def _spot_fleet_request_config(self):
    config = _config.fget(self)
    on_demand = _on_demand(self)
    config["OnDemandTargetCapacity"] = _on_demand_target(self)
    config["OnDemandFulfilledCapacity"] = float(_units(self, on_demand))
    config["FulfilledCapacity"] = float(_units(self, _spot(self)) + _units(self, on_demand))
    if getattr(self, "target_capacity_unit_type", None):
        config["TargetCapacityUnitType"] = self.target_capacity_unit_type
    return config


def _tag_set(self):
    return [{"Key": k, "Value": v} for k, v in self.ec2_backend.tags.get(self.id, {}).items()]


# ---- ModifySpotFleetRequest: TargetCapacity with OnDemandTargetCapacity

def _modify_spot_fleet_request(self):
    on_demand_param = self._get_param("OnDemandTargetCapacity")
    request_id = self._get_param("SpotFleetRequestId")
    request = self.ec2_backend.get_spot_fleet_request(request_id)
    if request is None or (on_demand_param is None and not _on_demand_target(request)):
        return _modify(self)
    if getattr(request, "fleet_type", "maintain") != "maintain":
        raise InvalidParameterValue(f"Spot Fleet request {request_id} is of type {request.fleet_type}; only type maintain can be modified")
    total_param = self._get_param("TargetCapacity")
    total = int(total_param) if total_param is not None else request.target_capacity
    on_demand_target = int(on_demand_param) if on_demand_param is not None else _on_demand_target(request)
    if on_demand_target < 0 or on_demand_target > total:
        raise InvalidParameterValue(f"OnDemandTargetCapacity {on_demand_target} must be from 0 to TargetCapacity {total}")
    # The launch template part is ec2_fleets.py's: it is called without the capacity.
    self.params.pop("TargetCapacity", None)
    _modify(self)
    keep = self._get_param("ExcessCapacityTerminationPolicy") == "noTermination"
    request.target_capacity = total
    request.on_demand_target_capacity = on_demand_target
    on_demand, spot = _on_demand(request), _spot(request)
    on_demand_units, spot_units = _units(request, on_demand), _units(request, spot)
    if on_demand_target > on_demand_units:
        _launch_on_demand(request, on_demand_target - on_demand_units)
    elif on_demand_target < on_demand_units and not keep and _excess(request, on_demand, on_demand_target):
        self.ec2_backend.terminate_instances(_excess(request, on_demand, on_demand_target))
    spot_target = total - on_demand_target
    if spot_target > spot_units:
        request.create_spot_requests(spot_target - spot_units)
    elif spot_target < spot_units and not keep and _excess(request, spot, spot_target):
        self.ec2_backend.terminate_instances(_excess(request, spot, spot_target))
    return ActionResult({"Return": True})


# ---- DescribeSpotFleetInstances: the On-Demand members too

def _describe_spot_fleet_instances(self):
    request_id = self._get_param("SpotFleetRequestId")
    request = self.ec2_backend.get_spot_fleet_request(request_id)
    active = []
    if request is not None:
        active = [{"InstanceId": r.instance.id, "SpotInstanceRequestId": r.id, "InstanceType": r.instance.instance_type}
                  for r in request.spot_requests if r.instance.state != "terminated"]
        active += [{"InstanceId": i.id, "InstanceType": i.instance_type} for i in _on_demand(request)]
    return ActionResult({"SpotFleetRequestId": request_id, "ActiveInstances": active})


# ---- a terminated On-Demand member is replaced only below the On-Demand target

def _terminate_instances(self, instance_ids):
    ids = set(instance_ids)
    lost = []
    for request in list(getattr(self, "spot_fleet_requests", {}).values()):
        if getattr(request, "fleet_type", "maintain") == "maintain" and request.state == "active" \
                and any(i.id in ids for i in _on_demand(request)):
            lost.append(request)
    result = _terminate(self, instance_ids)
    for request in lost:
        missing = _on_demand_target(request) - _units(request, _on_demand(request))
        if missing > 0:
            _launch_on_demand(request, missing)
    return result


def apply():
    """After ec2_fleets.apply() and fleet_on_demand.apply(): wraps their Spot Fleet calls and termination."""
    global _request, _modify, _terminate, _create_spot, _config
    _request = SpotFleets.request_spot_fleet
    _modify = SpotFleets.modify_spot_fleet_request
    _terminate = InstanceBackend.terminate_instances
    _create_spot = SpotFleetRequest.create_spot_requests
    _config = SpotFleetRequest.spot_fleet_request_config
    SpotFleets.request_spot_fleet = _request_spot_fleet
    SpotFleets.modify_spot_fleet_request = _modify_spot_fleet_request
    SpotFleets.describe_spot_fleet_instances = _describe_spot_fleet_instances
    SpotFleetRequest.create_spot_requests = _create_spot_requests
    SpotFleetRequest.spot_fleet_request_config = property(_spot_fleet_request_config)
    SpotFleetRequest.tag_set = property(_tag_set)
    spot_requests.random_spot_fleet_request_id = ec2_fixes.spot_fleet_request_id(lambda: "sfr-" + str(uuid.uuid4()))
    InstanceBackend.terminate_instances = _terminate_instances
