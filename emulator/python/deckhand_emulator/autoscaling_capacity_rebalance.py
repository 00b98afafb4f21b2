"""UpdateAutoScalingGroup turns Capacity Rebalancing on and off.

AWS behaviour reproduced (EC2 Auto Scaling API Reference, UpdateAutoScalingGroup): the request takes
CapacityRebalance ("Enables or disables Capacity Rebalancing"), and DescribeAutoScalingGroups then
describes it (AutoScalingGroup, CapacityRebalance); an update that does not name it keeps it.

moto 5.2.1 read CapacityRebalance on CreateAutoScalingGroup only: an update naming it was ignored.
"""
from moto.autoscaling.responses import AutoScalingResponse

_update = AutoScalingResponse.update_auto_scaling_group


def update_auto_scaling_group(self):
    result = _update(self)
    value = self._get_bool_param("CapacityRebalance", None)
    if value is not None:
        group = self.autoscaling_backend.autoscaling_groups[self._get_param("AutoScalingGroupName")]
        group.capacity_rebalance = value
    return result


def apply():
    AutoScalingResponse.update_auto_scaling_group = update_auto_scaling_group
