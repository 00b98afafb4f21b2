"""UpdateAutoScalingGroup changes only what it names, a mixed instances policy included.

AWS behaviour reproduced (EC2 Auto Scaling API Reference, UpdateAutoScalingGroup): "To update an
Auto Scaling group, specify the name of the group and the property that you want to change. Any
properties that you don't specify are not changed by this update request." A MixedInstancesPolicy
in an update may name only the parts to change (its LaunchTemplate "is not required when updating
the group"), e.g. InstancesDistribution.OnDemandBaseCapacity alone.

moto 5.2.1 replaced the whole policy with what the update named: an update without
MixedInstancesPolicy (only DesiredCapacity) dropped the group's policy, and a partial policy
failed or lost the launch template and the rest of the distribution.
"""
import copy

from moto.autoscaling.models import FakeAutoScalingGroup

_update = FakeAutoScalingGroup.update

_INT_KEYS = ("OnDemandBaseCapacity", "OnDemandPercentageAboveBaseCapacity", "SpotInstancePools")


def _merge(current, change):
    merged = copy.deepcopy(current) if current else {}
    for key, value in (change or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _normalize(policy):
    spec = (policy or {}).get("LaunchTemplate", {}).get("LaunchTemplateSpecification")
    if isinstance(spec, dict) and spec.get("LaunchTemplateId") and spec.get("LaunchTemplateName"):
        # moto stores both; a request names one of them.
        spec.pop("LaunchTemplateName")
    distribution = (policy or {}).get("InstancesDistribution")
    if isinstance(distribution, dict):
        for key in _INT_KEYS:
            if key in distribution and isinstance(distribution[key], str) and distribution[key].isdigit():
                distribution[key] = int(distribution[key])
    return policy


def update(self, *args, **kwargs):
    change = kwargs.get("mixed_instances_policy")
    if self.mixed_instances_policy and not kwargs.get("launch_config_name") and not kwargs.get("launch_template"):
        kwargs["mixed_instances_policy"] = _normalize(_merge(self.mixed_instances_policy, change))
    elif change:
        kwargs["mixed_instances_policy"] = _normalize(change)
    return _update(self, *args, **kwargs)


def apply():
    FakeAutoScalingGroup.update = update
