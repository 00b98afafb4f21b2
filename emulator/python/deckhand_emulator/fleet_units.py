"""What a fleet member counts: EC2 Fleets and Spot Fleets count their targets in units, as AWS documents.

AWS behaviour reproduced:
  - Instance weighting (User Guide, "Spot Fleet instance weighting",
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-fleet-instance-weighting.html; EC2 API
    Reference, SpotFleetLaunchSpecification / LaunchTemplateOverrides / FleetLaunchTemplateOverrides
    WeightedCapacity): "The number of units provided by the specified instance type ... If the target
    capacity divided by this value is not a whole number, Amazon EC2 rounds the number of instances
    to the next whole number. If this value is not specified, the default is 1." A fleet launches
    whole instances until its target in units is met, even if that overshoots it. moto's lowestPrice
    count was `(n + n % w) // w` instances (one m5.xlarge of weight 4 for 5 units) and its
    FulfilledCapacity a running sum of what it asked for, never lowered by a termination.
  - TargetCapacityUnitType `vcpu` or `memory-mib` (EC2 API Reference, TargetCapacitySpecificationRequest
    and SpotFleetRequestConfigData: "The unit for the target capacity. You can specify this parameter
    only when using attribute-based instance type selection. Default: units (the number of
    instances)"; User Guide, "Specify attributes for instance type selection for EC2 Fleet or Spot
    Fleet", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-attribute-based-instance-type-selection.html):
    each member counts its type's vCPUs or its memory in MiB against the targets; a unit type other
    than `units` without InstanceRequirements in the fleet's overrides is refused
    (InvalidParameterValue). DescribeFleets / DescribeSpotFleetRequests describe it. moto ignored it.
  - An override with InstanceRequirements ("Amazon EC2 will identify instance types with those
    attributes"; "If you specify InstanceRequirements, you can't specify InstanceType") launches a
    type that meets them. Not documented, so chosen here as autoscaling_distribution.py does: the
    smallest such type (fewest vCPUs, then least memory, then name). moto launched the launch
    template's type.
"""
import contextvars
import math

from moto.ec2.exceptions import InvalidParameterValue
from moto.ec2.models.fleets import Fleet
from moto.ec2.models.instance_types import INSTANCE_TYPES
from moto.ec2.models.spot_requests import SpotFleetLaunchSpec, SpotFleetRequest
from moto.ec2.responses.fleets import Fleets

from .autoscaling_distribution import _meets

UNIT_TYPES = ("units", "vcpu", "memory-mib")

_creating_unit_type = contextvars.ContextVar("spot_fleet_unit_type", default=None)
_spec_init = SpotFleetLaunchSpec.__init__
_spot_fleet_init = None
_create = None


def unit_type(fleet):
    """The fleet's TargetCapacityUnitType: units (the number of instances, weighted), vcpu or memory-mib."""
    explicit = getattr(fleet, "__dict__", {}).get("target_capacity_unit_type")
    if explicit:
        return explicit
    spec = getattr(fleet, "target_capacity_specification", None) or {}
    return spec.get("TargetCapacityUnitType") or "units"


def type_units(fleet, instance_type, weighted_capacity=None):
    """What one instance of `instance_type` counts in the fleet's unit."""
    kind = unit_type(fleet)
    info = INSTANCE_TYPES.get(instance_type) or {}
    if kind == "vcpu":
        return float(info.get("VCpuInfo", {}).get("DefaultVCpus", 1))
    if kind == "memory-mib":
        return float(info.get("MemoryInfo", {}).get("SizeInMiB", 1))
    if weighted_capacity is not None:
        return float(weighted_capacity or 1)
    for spec in getattr(fleet, "launch_specs", []):
        if spec.instance_type == instance_type:
            return float(spec.weighted_capacity or 1)
    return 1.0


def spec_units(fleet, spec):
    return type_units(fleet, spec.instance_type, spec.weighted_capacity)


def member_units(fleet, instance):
    return type_units(fleet, instance.instance_type)


def check_unit_type(kind, configs):
    """A unit type other than units needs InstanceRequirements in the overrides (or the launch template data)."""
    if kind is None or kind == "units":
        return
    if kind not in UNIT_TYPES:
        raise InvalidParameterValue(f"TargetCapacityUnitType {kind} is not one of {', '.join(UNIT_TYPES)}")
    if not any(o.get("InstanceRequirements") for c in configs or [] for o in (c.get("Overrides") or [])):
        raise InvalidParameterValue(f"TargetCapacityUnitType {kind} can be specified only with attribute-based instance type "
                                    "selection (InstanceRequirements)")


def smallest_type(requirements):
    matching = [(info.get("VCpuInfo", {}).get("DefaultVCpus", 0), info.get("MemoryInfo", {}).get("SizeInMiB", 0), name)
                for name, info in INSTANCE_TYPES.items() if _meets(requirements, info)]
    return min(matching)[2] if matching else None


def _launch_spec_init(self, *args, **kwargs):
    _spec_init(self, *args, **kwargs)
    requirements = (self.overrides or {}).get("InstanceRequirements")
    if requirements:
        self.instance_type = smallest_type(requirements) or self.instance_type


def _launch_spec_counts(self, weight_to_add):
    """Whole instances until `weight_to_add` units are met (overshooting if need be): cheapest spec, or round robin."""
    counts = {}
    added = 0.0
    if weight_to_add <= 0 or not self.launch_specs:
        return counts, added
    strategy = (self.spot_options or {}).get("AllocationStrategy") if isinstance(self, Fleet) else self.allocation_strategy
    if strategy == "diversified":
        index = 0
        while added < weight_to_add:
            spec = self.launch_specs[index % len(self.launch_specs)]
            counts[spec] = counts.get(spec, 0) + 1
            added += spec_units(self, spec)
            index += 1
        return counts, added
    spec = sorted(self.launch_specs, key=lambda s: float(s.spot_price or "+inf"))[0]
    units = spec_units(self, spec)
    count = math.ceil(weight_to_add / units)
    counts[spec] = count
    return counts, count * units


def _spot_fleet_fulfilled(self):
    if "spot_requests" not in self.__dict__:
        return 0.0
    spot = [r.instance for r in self.spot_requests if r.instance.state != "terminated"]
    on_demand = [i for i in getattr(self, "deckhand_on_demand", []) if i.state != "terminated"]
    return sum(member_units(self, i) for i in spot + on_demand)


def _spot_fleet_init_with_unit(self, *args, **kwargs):
    self.target_capacity_unit_type = _creating_unit_type.get()
    _spot_fleet_init(self, *args, **kwargs)


def _create_fleet(self):
    spec = self._get_param("TargetCapacitySpecification", {}) or {}
    check_unit_type(spec.get("TargetCapacityUnitType"), self._get_param("LaunchTemplateConfigs", []))
    return _create(self)


def creating_with_unit_type(kind):
    """Sets the unit type the Spot Fleet request being created counts in; returns the token to reset."""
    return _creating_unit_type.set(kind)


def reset_unit_type(token):
    _creating_unit_type.reset(token)


def apply():
    """After ec2_fleets.apply(): wraps its Spot Fleet initialisation."""
    global _spot_fleet_init, _create
    _spot_fleet_init = SpotFleetRequest.__init__
    _create = Fleets.create_fleet
    Fleets.create_fleet = _create_fleet
    SpotFleetLaunchSpec.__init__ = _launch_spec_init
    Fleet.get_launch_spec_counts = _launch_spec_counts
    SpotFleetRequest.get_launch_spec_counts = _launch_spec_counts
    SpotFleetRequest.__init__ = _spot_fleet_init_with_unit
    SpotFleetRequest.fulfilled_capacity = property(_spot_fleet_fulfilled, lambda self, value: None)
