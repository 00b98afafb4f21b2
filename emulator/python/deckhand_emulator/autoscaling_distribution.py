"""Mixed instances groups: On-Demand and Spot instances, capacity counted in units, and the gradual
replacement that a change of the On-Demand base or percentage starts.

AWS behaviour reproduced:
  - InstancesDistribution (EC2 Auto Scaling API Reference, and the CloudFormation reference
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-instancesdistribution.html):
    `OnDemandBaseCapacity` is "the minimum amount of the Auto Scaling group's capacity that must be
    fulfilled by On-Demand Instances. This base portion is launched first as your group scales";
    `OnDemandPercentageAboveBaseCapacity` (default 100) splits the rest. "An update to this setting
    means a gradual replacement of instances to adjust the current On-Demand Instance levels. When
    replacing instances, Amazon EC2 Auto Scaling launches new instances before terminating the
    previous ones." A Spot instance is described by DescribeInstances with `InstanceLifecycle` spot.
  - Units (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups-instance-weighting.html,
    https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-mixed-instances-group-attribute-based-instance-type-selection.html):
    with `WeightedCapacity` in the overrides each instance counts its type's weight toward the
    desired capacity, and the group "launches instances until the desired capacity is totally
    fulfilled, even if this results in an overage"; with `DesiredCapacityType` `vcpu` or
    `memory-mib` (attribute-based instance type selection) each instance counts its vCPUs or its
    memory in MiB. The base is in the same unit. DescribeAutoScalingGroups describes the group's
    `DesiredCapacityType` and each instance's `WeightedCapacity`.
  - Scale-in of a mixed group first picks the purchase option (On-Demand or Spot) to terminate, so
    that the group keeps its distribution (user guide, "Scale-in behavior" of mixed instances groups).

Not documented, so chosen here: On-Demand above the base is rounded down (as moto did); the type
launched is the first override (prioritized), or for instance requirements the smallest type that
meets them; TerminateInstanceInAutoScalingGroup or DetachInstances with a decrement lowers the
desired capacity by the instance's units. A launch, scale-in or replacement happens at once.

moto 5.2.1 launched every instance of a mixed group as On-Demand, of the launch template's type,
counted instances whatever the weights, ignored DesiredCapacityType, and replaced nothing when the
distribution changed.
"""
import contextvars

from moto.autoscaling import models as as_models
from moto.autoscaling.models import ASG_NAME_TAG, FakeAutoScalingGroup, InstanceState
from moto.autoscaling.responses import AutoScalingResponse
from moto.ec2.models.instance_types import INSTANCE_TYPES
from moto.moto_api._internal import mock_random as random

_original = {}
_creating_type = contextvars.ContextVar("desired_capacity_type", default=None)

ON_DEMAND = "on-demand"
SPOT = "spot"


def mixed(group):
    return bool(group.mixed_instances_policy)


def _distribution(group):
    return (group.mixed_instances_policy or {}).get("InstancesDistribution") or {}


def _base(group):
    return int(_distribution(group).get("OnDemandBaseCapacity", 0) or 0)


def _percent(group):
    value = _distribution(group).get("OnDemandPercentageAboveBaseCapacity", 100)
    return int(100 if value is None or value == "" else value)


def _overrides(group):
    return ((group.mixed_instances_policy or {}).get("LaunchTemplate") or {}).get("Overrides") or []


def capacity_type(group):
    return getattr(group, "desired_capacity_type", None) or "units"


def units_of(group, instance_type):
    """What one instance of `instance_type` counts toward the group's desired capacity."""
    kind = capacity_type(group)
    info = INSTANCE_TYPES.get(instance_type) or {}
    if kind == "vcpu":
        return int(info.get("VCpuInfo", {}).get("DefaultVCpus", 1))
    if kind == "memory-mib":
        return int(info.get("MemoryInfo", {}).get("SizeInMiB", 1))
    for override in _overrides(group):
        if override.get("InstanceType") == instance_type and override.get("WeightedCapacity"):
            return int(override["WeightedCapacity"])
    return 1


def _meets(requirements, info):
    vcpus = info.get("VCpuInfo", {}).get("DefaultVCpus", 0)
    memory = info.get("MemoryInfo", {}).get("SizeInMiB", 0)
    cpu = requirements.get("VCpuCount") or {}
    mem = requirements.get("MemoryMiB") or {}
    return (vcpus >= int(cpu.get("Min", 0)) and ("Max" not in cpu or vcpus <= int(cpu["Max"]))
            and memory >= int(mem.get("Min", 0)) and ("Max" not in mem or memory <= int(mem["Max"])))


def _type_to_launch(group):
    for override in _overrides(group):
        if override.get("InstanceType"):
            return override["InstanceType"]
        requirements = override.get("InstanceRequirements")
        if requirements:
            matching = [(info.get("VCpuInfo", {}).get("DefaultVCpus", 0), info.get("MemoryInfo", {}).get("SizeInMiB", 0), name)
                        for name, info in INSTANCE_TYPES.items() if _meets(requirements, info)]
            if matching:
                return min(matching)[2]
    return group.instance_type


def _option(state):
    return SPOT if getattr(state.instance, "lifecycle", None) == "spot" else ON_DEMAND


def _counted(group):
    return [s for s in group.instance_states if s.lifecycle_state in ("InService", "Pending", "Pending:Wait", "Pending:Proceed")]


def _units(group, states):
    return sum(int(getattr(s, "weighted_capacity", None) or units_of(group, s.instance.instance_type)) for s in states)


def _targets(group):
    desired = group.desired_capacity or 0
    base = _base(group)
    if desired <= base:
        on_demand = desired
    else:
        on_demand = base + (desired - base) * _percent(group) // 100
    return {ON_DEMAND: on_demand, SPOT: desired - on_demand}


def _held(group):
    counted = _counted(group)
    return {option: _units(group, [s for s in counted if _option(s) == option]) for option in (ON_DEMAND, SPOT)}


def _launch(group, option):
    instance_type = _type_to_launch(group)
    tags = group.get_propagated_tags()
    tags[ASG_NAME_TAG] = group.name
    tags.update(group.instance_tags or {})
    subnet_id = group.vpc_zone_identifier.split(",")[0] if group.vpc_zone_identifier else None
    launch_template = {"LaunchTemplateId": group.ec2_launch_template.id} if group.ec2_launch_template else None
    extra = {"instance_market_options": {"MarketType": "spot"}} if option == SPOT else {}
    reservation = group.autoscaling_backend.ec2_backend.run_instances(
        group.image_id, 1, group.user_data, group.security_groups, instance_type=instance_type,
        tags={"instance": tags}, placement=random.choice(group.availability_zones), launch_config=group.launch_config,
        launch_template=launch_template, is_instance_type_default=False, subnet_id=subnet_id, **extra)
    for instance in reservation.instances:
        instance.autoscaling_group = group
        state = InstanceState(instance, protected_from_scale_in=group.new_instances_protected_from_scale_in)
        state.weighted_capacity = str(units_of(group, instance_type))
        group.instance_states.append(state)


def _terminate(group, states):
    if not states:
        return
    group.autoscaling_backend.ec2_backend.terminate_instances([s.instance.id for s in states])
    group.instance_states = [s for s in group.instance_states if s not in states]


def _scale_in(group):
    """Terminates what is above the desired capacity, from the purchase option above its target."""
    desired = group.desired_capacity or 0
    while True:
        held = _held(group)
        total = held[ON_DEMAND] + held[SPOT]
        if total <= desired:
            return
        targets = _targets(group)
        over = sorted((option for option in (SPOT, ON_DEMAND) if held[option] > targets[option]),
                      key=lambda option: targets[option] - held[option])
        victim = None
        for option in over:
            for state in _counted(group):
                if _option(state) == option and not state.protected_from_scale_in and total - _units(group, [state]) >= desired:
                    victim = state
                    break
            if victim:
                break
        if victim is None:
            return
        _terminate(group, [victim])


def reconcile(group, replace=False):
    """Launches what is missing (On-Demand first, to its target), then scales in what is above the
    desired capacity. With `replace` (the distribution changed), launches each option up to its
    target first, then terminates the previous instances of the option above its target."""
    desired = group.desired_capacity or 0
    targets = _targets(group)
    for option in (ON_DEMAND, SPOT):
        while True:
            held = _held(group)
            if held[option] >= targets[option] or (not replace and held[ON_DEMAND] + held[SPOT] >= desired):
                break
            _launch(group, option)
    _scale_in(group)


def set_desired_capacity(self, new_capacity):
    if not mixed(self):
        return _original["set_desired_capacity"](self, new_capacity)
    self.desired_capacity = self.min_size if new_capacity is None else new_capacity
    reconcile(self)
    if self.name in self.autoscaling_backend.autoscaling_groups:
        self.autoscaling_backend.update_attached_elbs(self.name)
        self.autoscaling_backend.update_attached_target_groups(self.name)


def init(self, *args, **kwargs):
    kind = _creating_type.get()
    if kind:
        self.desired_capacity_type = kind
    _original["init"](self, *args, **kwargs)


def update(self, *args, **kwargs):
    before = (_base(self), _percent(self)) if mixed(self) else None
    _original["update"](self, *args, **kwargs)
    if before is not None and mixed(self) and before != (_base(self), _percent(self)):
        reconcile(self, replace=True)


def detach_instances(self, group_name, instance_ids, should_decrement):
    group = self.autoscaling_groups[group_name]
    if not mixed(group) or not should_decrement:
        return _original["detach_instances"](self, group_name, instance_ids, should_decrement)
    # In units: the group's desired capacity goes down by what the detached instances counted.
    detached = [s for s in group.instance_states if s.instance.id in instance_ids]
    units = _units(group, detached)
    for state in detached:
        self.ec2_backend.delete_tags([state.instance.id], {ASG_NAME_TAG: group.name})
    activities = [as_models.DetachInstanceActivity(state.instance) for state in detached]
    group.instance_states = [s for s in group.instance_states if s.instance.id not in instance_ids]
    original_desired = group.desired_capacity
    group.desired_capacity = max(0, original_desired - units)
    group.set_desired_capacity(group.desired_capacity)
    return activities


def create_auto_scaling_group(self):
    token = _creating_type.set(self._get_param("DesiredCapacityType"))
    try:
        return _original["create_auto_scaling_group"](self)
    finally:
        _creating_type.reset(token)


def update_auto_scaling_group(self):
    kind = self._get_param("DesiredCapacityType")
    if kind:
        group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
        if group is not None:
            group.desired_capacity_type = kind
    return _original["update_auto_scaling_group"](self)


def apply():
    _original["set_desired_capacity"] = FakeAutoScalingGroup.set_desired_capacity
    _original["init"] = FakeAutoScalingGroup.__init__
    _original["update"] = FakeAutoScalingGroup.update
    _original["detach_instances"] = as_models.AutoScalingBackend.detach_instances
    _original["create_auto_scaling_group"] = AutoScalingResponse.create_auto_scaling_group
    _original["update_auto_scaling_group"] = AutoScalingResponse.update_auto_scaling_group
    FakeAutoScalingGroup.set_desired_capacity = set_desired_capacity
    FakeAutoScalingGroup.__init__ = init
    FakeAutoScalingGroup.update = update
    as_models.AutoScalingBackend.detach_instances = detach_instances
    AutoScalingResponse.create_auto_scaling_group = create_auto_scaling_group
    AutoScalingResponse.update_auto_scaling_group = update_auto_scaling_group
