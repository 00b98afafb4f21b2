"""TerminateInstanceInAutoScalingGroup of an instance no group manages any more.

AWS behaviour reproduced: the call names no group, so an instance that has already left its group
(terminated, or detached) is refused with `ValidationError` "Instance Id not found - No managed
instance found for instance ID <id>", as AWS answers in the wild (keikoproj/upgrade-manager#25,
https://github.com/keikoproj/upgrade-manager/issues/25, and yaybu/touchdown#51,
https://github.com/yaybu/touchdown/issues/51, both for an instance already terminated). The EC2 Auto
Scaling API Reference (TerminateInstanceInAutoScalingGroup) lists only the service-specific errors;
ValidationError is its common 400 error. moto 5.2.1 raised StopIteration: a 500 InternalError,
which the SDK retried and then failed with.
"""
from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend

_original = {}


def terminate_instance(self, instance_id, should_decrement):
    managed = any(state.instance.id == instance_id for group in self.autoscaling_groups.values() for state in group.instance_states)
    if not managed:
        raise ValidationError(f"Instance Id not found - No managed instance found for instance ID {instance_id}")
    return _original["terminate_instance"](self, instance_id, should_decrement)


def apply():
    _original["terminate_instance"] = AutoScalingBackend.terminate_instance
    AutoScalingBackend.terminate_instance = terminate_instance
