"""SSM Run Command sends to the instances named, and only those.

AWS behaviour reproduced (AWS Systems Manager API Reference, SendCommand): InstanceIds and Targets
are two ways to name the instances; a command with InstanceIds and no Targets runs on exactly those
instances. moto resolves an empty Targets list to every instance in the region, so a pre-drain
command would appear to run fleet-wide.
"""
from moto.ssm.models import Command

_from_targets = Command._get_instance_ids_from_targets


def _instance_ids_from_targets(self):
    if not self.targets:
        return []
    return _from_targets(self)


def apply():
    Command._get_instance_ids_from_targets = _instance_ids_from_targets
