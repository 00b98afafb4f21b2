"""The On-Demand part of an EC2 Fleet as AWS documents it, for hold-capacity's fleet lever.

AWS behaviour reproduced:
  - ModifyFleet with TargetCapacitySpecification.OnDemandTargetCapacity (EC2 API Reference,
    ModifyFleet / TargetCapacitySpecificationRequest): the fleet's On-Demand target becomes that
    number and it launches On-Demand instances up to it; DescribeFleets reports the new
    OnDemandTargetCapacity. Lowered with ExcessCapacityTerminationPolicy no-termination, running
    instances are kept; otherwise the excess On-Demand instances are terminated. moto's ModifyFleet
    (ec2_fleets.py) read TotalTargetCapacity only and launched the default capacity type.
  - A fleet of type maintain replaces a terminated member only while it is below its target
    capacity ("EC2 Fleet request types": maintain keeps the target); ec2_fleets.py replaced every
    terminated member, so an instance removed after the target was lowered came back.
  - Targets are in units: an override's WeightedCapacity is "the number of units provided by the
    specified instance type" (EC2 API Reference, FleetLaunchTemplateOverridesRequest; default 1), and
    "if the target capacity divided by this value is not a whole number, Amazon EC2 rounds the
    number of instances to the next whole number"; FulfilledCapacity is "the number of units
    fulfilled" (FleetData), FulfilledOnDemandCapacity its On-Demand part. moto launched a raise or a
    replacement by instance count (none at all for a count below the weight) and kept its own
    running sums (FulfilledOnDemandCapacity always 0).
"""
import math

from moto.ec2.models.fleets import Fleet
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.responses.fleets import Fleets

from . import fleet_units

_modify_fleet = None
_terminate = None
_create_on_demand = Fleet.create_on_demand_requests


def _live(fleet):
    spot = [r.instance for r in fleet.spot_requests if r.instance.state != "terminated"]
    on_demand = [r["instance"] for r in fleet.on_demand_instances if r["instance"].state != "terminated"]
    return spot, on_demand


def weight(fleet, instance):
    """The units a member counts: its vCPUs or MiB, else the WeightedCapacity of its type (fleet_units.py)."""
    return fleet_units.member_units(fleet, instance)


def live_units(fleet):
    spot, on_demand = _live(fleet)
    return sum(weight(fleet, i) for i in spot), sum(weight(fleet, i) for i in on_demand)


def _launch_on_demand_units(fleet, units):
    """Launches On-Demand members worth at least `units`, whole instances of the cheapest spec."""
    if units <= 0:
        return
    spec = sorted(fleet.launch_specs, key=lambda s: float(s.spot_price or "+inf"))[0]
    w = fleet_units.spec_units(fleet, spec)
    _create_on_demand(fleet, math.ceil(units / w) * w)


def _fulfilled(self):
    spot, on_demand = live_units(self) if hasattr(self, "on_demand_instances") and hasattr(self, "spot_requests") else (0.0, 0.0)
    return spot + on_demand


def _fulfilled_on_demand(self):
    return live_units(self)[1] if hasattr(self, "on_demand_instances") and hasattr(self, "spot_requests") else 0.0


def _modify_fleet_on_demand(self):
    capacity = self._get_param("TargetCapacitySpecification", {}) or {}
    if capacity.get("OnDemandTargetCapacity") is None:
        return _modify_fleet(self)
    fleet = self.ec2_backend.get_fleet(self._get_param("FleetId"))
    total = capacity.get("TotalTargetCapacity")
    # The launch template part and the checks (type maintain, the fleet exists) are ec2_fleets.py's.
    rest = {k: v for k, v in capacity.items() if k not in ("OnDemandTargetCapacity", "TotalTargetCapacity")}
    original = self._get_param

    def get_param(name, if_none=None):
        return rest if name == "TargetCapacitySpecification" else original(name, if_none)

    self._get_param = get_param
    try:
        result = _modify_fleet(self)
    finally:
        del self._get_param
    on_demand_target = int(capacity["OnDemandTargetCapacity"])
    total = int(total) if total is not None else fleet.target_capacity
    fleet.target_capacity_specification = dict(fleet.target_capacity_specification, TotalTargetCapacity=total,
                                               OnDemandTargetCapacity=on_demand_target)
    fleet.target_capacity = total
    fleet.on_demand_target_capacity = on_demand_target
    _, on_demand = _live(fleet)
    _, on_demand_units = live_units(fleet)
    if on_demand_target > on_demand_units:
        _launch_on_demand_units(fleet, on_demand_target - on_demand_units)
    elif on_demand_target < on_demand_units and self._get_param("ExcessCapacityTerminationPolicy") != "no-termination":
        excess = []
        for instance in sorted(on_demand, key=lambda i: i.launch_time, reverse=True):
            if on_demand_units - weight(fleet, instance) < on_demand_target:
                break
            on_demand_units -= weight(fleet, instance)
            excess.append(instance.id)
        if excess:
            self.ec2_backend.terminate_instances(excess)
    return result


def _create_on_demand_up_to_target(self, weight_to_add):
    if getattr(self.ec2_backend, "_deckhand_replacing", False):
        spot, on_demand = live_units(self)
        weight_to_add = min(weight_to_add, max(0, self.target_capacity - spot - on_demand))
        if weight_to_add <= 0:
            return None
        return _launch_on_demand_units(self, weight_to_add)
    return _create_on_demand(self, weight_to_add)


def _terminate_instances(self, instance_ids):
    self._deckhand_replacing = True
    try:
        return _terminate(self, instance_ids)
    finally:
        self._deckhand_replacing = False


def apply():
    """After ec2_fleets.apply(): wraps its ModifyFleet and its replacement of terminated members."""
    global _modify_fleet, _terminate
    _modify_fleet = Fleets.modify_fleet
    _terminate = InstanceBackend.terminate_instances
    Fleets.modify_fleet = _modify_fleet_on_demand
    Fleet.create_on_demand_requests = _create_on_demand_up_to_target
    Fleet.fulfilled_capacity = property(_fulfilled, lambda self, value: None)
    Fleet.fulfilled_on_demand_capacity = property(_fulfilled_on_demand, lambda self, value: None)
    InstanceBackend.terminate_instances = _terminate_instances
